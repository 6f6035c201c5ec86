//! Checks of values that several domains accept (an operator's email, a handoff address, a
//! visitor's time zone): one definition each, in a leaf module anyone may use.

use std::str::FromStr;

/// The longest email address accepted anywhere (RFC 5321 path limit).
pub const EMAIL_MAX_CHARS: usize = 254;

/// A pragmatic address check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && e.len() <= EMAIL_MAX_CHARS
}

/// The IANA time zone named `tz`, or a message saying what was meant.
pub fn check_timezone(tz: &str) -> std::result::Result<chrono_tz::Tz, String> {
    chrono_tz::Tz::from_str(tz).map_err(|_| match chrono_tz::Tz::from_str_insensitive(tz) {
        Ok(found) => format!(
            "unknown IANA time zone '{tz}'; did you mean '{}'?",
            found.name()
        ),
        Err(_) => format!("unknown IANA time zone '{tz}' (expected a name like 'Europe/London')"),
    })
}

/// The phone-number country of an ISO 3166-1 alpha-2 code (`DE`, `us`), if it is one.
pub fn phone_country(code: &str) -> Option<phonenumber::country::Id> {
    code.trim().to_ascii_uppercase().parse().ok()
}

/// `text` as a phone number in E.164 (`+4930123456`): international, or national in
/// `country`. None when it is not a valid number there (a real numbering-plan check, not
/// a count of digits).
pub fn phone_e164(text: &str, country: Option<phonenumber::country::Id>) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_prefix("00")
        .map_or_else(|| t.to_owned(), |r| format!("+{r}"));
    let n = phonenumber::parse(if t.starts_with('+') { None } else { country }, &t).ok()?;
    phonenumber::is_valid(&n).then(|| n.format().mode(phonenumber::Mode::E164).to_string())
}

/// A page size as asked (`limit`): `default` when not given; outside 1..=`max` it is a 422 at
/// `limit`, never clamped in silence (what the OpenAPI document's bounds say).
pub fn page_limit(given: Option<u32>, default: u32, max: u32) -> crate::Result<u32> {
    let limit = given.unwrap_or(default);
    if (1..=max).contains(&limit) {
        Ok(limit)
    } else {
        Err(crate::Error::invalid(
            "limit",
            "out_of_range",
            format!("between 1 and {max}"),
        ))
    }
}

#[cfg(test)]
mod phone_tests {
    use super::*;

    #[test]
    fn phone_numbers_are_normalised_to_e164_by_the_numbering_plan() {
        let de = phone_country("de");
        assert_eq!(
            phone_e164("+49 30 901820", None).as_deref(),
            Some("+4930901820")
        );
        assert_eq!(phone_e164("030 901820", de).as_deref(), Some("+4930901820"));
        assert_eq!(
            phone_e164("0048 600 100 200", None).as_deref(),
            Some("+48600100200")
        );
        assert_eq!(
            phone_e164("(415) 555-2671", phone_country("US")).as_deref(),
            Some("+14155552671")
        );
        // National numbers need a country; invalid numbers are refused.
        assert_eq!(phone_e164("030 901820", None), None);
        assert_eq!(phone_e164("+49 1", None), None);
        assert_eq!(phone_e164("+1 555 0000 0000 00", None), None);
        assert!(phone_country("XX").is_none());
    }
}
