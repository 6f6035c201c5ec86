//! The channel buttons a visitor gets when the agent hands over, and their deep links:
//! `wa.me` and `t.me` with the conversation's summary pre-filled (cut between words so the
//! link stays within what the apps accept), `ig.me/m` and `m.me` without (the platforms do
//! not take a message).

use super::model::{ChannelOption, HandoverChannel, HandoverChannels};
use crate::conversations::phrases;

/// The longest link we build. WhatsApp and Telegram links of about 2,000 characters open on
/// every platform; longer ones are cut by some browsers and apps.
pub const LINK_MAX: usize = 2000;

/// `text` form-encoded for a query (`%20` for spaces: both apps show `+` literally).
fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// `base?text=…` with as much of `text` as fits in [`LINK_MAX`], cut between words (with
/// `…`) when it does not.
pub fn with_text(base: &str, text: &str) -> String {
    let full = format!("{base}?text={}", encode(text));
    if full.len() <= LINK_MAX {
        return full;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    // The longest prefix of whole words that fits, found by halving.
    let (mut lo, mut hi) = (0usize, words.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate = format!(
            "{base}?text={}",
            encode(&format!("{}…", words[..mid].join(" ")))
        );
        if candidate.len() <= LINK_MAX {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        return base.to_owned();
    }
    format!(
        "{base}?text={}",
        encode(&format!("{}…", words[..lo].join(" ")))
    )
}

/// The message pre-filled in a messaging app: who is writing and what about.
pub fn prefill(language: Option<&str>, conversation: crate::Id, summary: Option<&str>) -> String {
    phrases::handover_prefill(language, conversation, summary.unwrap_or("").trim())
}

/// The deep link of a messaging channel (None for the inbox and email).
pub fn link(c: &HandoverChannels, channel: HandoverChannel, text: &str) -> Option<String> {
    match channel {
        HandoverChannel::Whatsapp => {
            let digits = c.whatsapp.phone.trim_start_matches('+');
            Some(with_text(&format!("https://wa.me/{digits}"), text))
        }
        HandoverChannel::Telegram => Some(with_text(
            &format!("https://t.me/{}", c.telegram.username),
            text,
        )),
        HandoverChannel::Instagram => Some(format!("https://ig.me/m/{}", c.instagram.username)),
        HandoverChannel::Messenger => Some(format!("https://m.me/{}", c.messenger.username)),
        HandoverChannel::Inbox | HandoverChannel::Email => None,
    }
}

/// The buttons for the enabled channels, in order.
pub fn options(c: &HandoverChannels, language: Option<&str>, text: &str) -> Vec<ChannelOption> {
    c.enabled()
        .into_iter()
        .map(|ch| ChannelOption {
            channel: ch,
            label: phrases::channel_label(language, ch),
            url: link(c, ch, text),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_summary_encoded_and_cut_to_fit() {
        let mut c = HandoverChannels::default();
        c.whatsapp.phone = "+442079460958".into();
        c.telegram.username = "acme_support".into();
        c.instagram.username = "acme.shop".into();
        c.messenger.username = "acmeshop".into();
        let text = "Order #4521 & a refund? 100% late — ąę";
        let wa = link(&c, HandoverChannel::Whatsapp, text).unwrap();
        assert_eq!(
            wa,
            "https://wa.me/442079460958?text=Order%20%234521%20%26%20a%20refund%3F%20100%25%20late%20%E2%80%94%20%C4%85%C4%99"
        );
        let parsed = url::Url::parse(&wa).unwrap();
        let (_, back) = parsed.query_pairs().next().unwrap();
        assert_eq!(back, text);
        assert!(link(&c, HandoverChannel::Telegram, text)
            .unwrap()
            .starts_with("https://t.me/acme_support?text=Order"));
        assert_eq!(
            link(&c, HandoverChannel::Instagram, text).unwrap(),
            "https://ig.me/m/acme.shop"
        );
        assert_eq!(
            link(&c, HandoverChannel::Messenger, text).unwrap(),
            "https://m.me/acmeshop"
        );
        assert_eq!(link(&c, HandoverChannel::Email, text), None);

        let long = "żółw ".repeat(400);
        let cut = with_text("https://wa.me/1", &long);
        assert!(cut.len() <= LINK_MAX, "{}", cut.len());
        let parsed = url::Url::parse(&cut).unwrap();
        let (_, back) = parsed.query_pairs().next().unwrap();
        assert!(back.ends_with("żółw…"), "cut between words: {back}");
        assert!(back.len() > 500, "as much as fits");
        // A single word too long for any link: the link without text.
        assert_eq!(
            with_text("https://wa.me/1", &"x".repeat(3000)),
            "https://wa.me/1"
        );
    }
}
