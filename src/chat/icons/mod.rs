//! Button icons: a built-in set bundled in the binary (a subset of Lucide, `lucide.rs`,
//! written by `scripts/icons.py`), and images the owner uploads — judged by their content,
//! not their name: PNG, JPEG and WebP must decode (within a size limit, so a small file
//! cannot claim a huge picture), an SVG is sanitised (`svg.rs`). Stored by the hash of the
//! bytes kept, so uploading the same picture twice keeps one copy.

mod lucide;
pub mod svg;

use sha2::{Digest, Sha256};

use super::model::BuiltinIcon;

/// Largest upload.
pub const UPLOAD_MAX_BYTES: usize = 1024 * 1024;
/// Largest picture a raster upload may describe (each side, pixels).
pub const UPLOAD_MAX_SIDE: u32 = 4096;

/// A stored icon reference: `lucide:NAME` or `upload:HASH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IconRef<'a> {
    Builtin(&'a str),
    Upload(&'a str),
}

impl<'a> IconRef<'a> {
    pub fn parse(s: &'a str) -> Option<IconRef<'a>> {
        if let Some(name) = s.strip_prefix("lucide:") {
            return builtin(name).map(|_| IconRef::Builtin(name));
        }
        let hash = s.strip_prefix("upload:")?;
        (hash.len() == 64
            && hash
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
        .then_some(IconRef::Upload(hash))
    }
}

/// Where an icon is served, relative to the server.
pub fn url(icon: &str) -> String {
    format!("/v1/icons/{icon}")
}

fn builtin(name: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    lucide::ICONS.iter().find(|(n, _, _)| *n == name)
}

/// A built-in icon as an SVG document.
pub fn builtin_svg(name: &str) -> Option<String> {
    builtin(name).map(|(_, _, body)| document(body))
}

fn document(body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\" \
         fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" \
         stroke-linejoin=\"round\">{body}</svg>"
    )
}

/// The built-in icons whose name or keywords contain `search` (all for an empty one), by
/// name.
pub fn search(search: &str) -> Vec<BuiltinIcon> {
    let q = search.trim().to_lowercase();
    lucide::ICONS
        .iter()
        .filter(|(name, words, _)| {
            q.is_empty() || name.contains(&q) || words.to_lowercase().contains(&q)
        })
        .map(|(name, words, body)| BuiltinIcon {
            icon: format!("lucide:{name}"),
            name: (*name).to_owned(),
            keywords: (*words).to_owned(),
            svg: document(body),
        })
        .collect()
}

/// An upload, checked and ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub hash: String,
    pub mime_type: &'static str,
    pub bytes: Vec<u8>,
    /// What sanitising removed (an SVG).
    pub removed: Vec<String>,
}

/// Checks an uploaded image by its content; the message says what is wrong in the owner's
/// words.
pub fn check_upload(data: &[u8]) -> Result<Checked, String> {
    if data.is_empty() {
        return Err("the file is empty".into());
    }
    if data.len() > UPLOAD_MAX_BYTES {
        return Err(format!(
            "the file is {} KB; an icon may be at most 1 MB",
            data.len().div_ceil(1024)
        ));
    }
    let raster = match data {
        [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', ..] => {
            Some((image::ImageFormat::Png, "image/png"))
        }
        [0xff, 0xd8, 0xff, ..] => Some((image::ImageFormat::Jpeg, "image/jpeg")),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => {
            Some((image::ImageFormat::WebP, "image/webp"))
        }
        _ => None,
    };
    let (bytes, mime_type, removed) = match raster {
        Some((format, mime)) => {
            decode(data, format)?;
            (data.to_vec(), mime, Vec::new())
        }
        None => {
            let text = std::str::from_utf8(data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data))
                .map_err(|_| "not an SVG, PNG, JPEG or WebP image".to_owned())?;
            if !text.contains("<svg") {
                return Err("not an SVG, PNG, JPEG or WebP image".into());
            }
            let (clean, removed) = svg::sanitize(text)?;
            (clean.into_bytes(), "image/svg+xml", removed)
        }
    };
    let hash = hex::encode(Sha256::digest(&bytes));
    Ok(Checked {
        hash,
        mime_type,
        bytes,
        removed,
    })
}

/// The picture decodes, and is no larger than [`UPLOAD_MAX_SIDE`] on a side.
fn decode(data: &[u8], format: image::ImageFormat) -> Result<(), String> {
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(data), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(UPLOAD_MAX_SIDE);
    limits.max_image_height = Some(UPLOAD_MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().map(|_| ()).map_err(|e| match e {
        image::ImageError::Limits(_) => {
            format!("the picture is larger than {UPLOAD_MAX_SIDE}×{UPLOAD_MAX_SIDE} pixels")
        }
        _ => "the file is damaged or not the image it claims to be".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([10, 20, 30, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn uploads_are_judged_by_their_content() {
        let ok = check_upload(&png(32, 32)).unwrap();
        assert_eq!(ok.mime_type, "image/png");
        assert_eq!(ok.hash.len(), 64);
        // A PNG signature on garbage is not a PNG.
        let mut fake = png(8, 8)[..8].to_vec();
        fake.extend_from_slice(b"not really an image at all");
        assert!(check_upload(&fake).unwrap_err().contains("damaged"));
        // A script named .png is still not an image.
        assert!(check_upload(b"<script>alert(1)</script>").is_err());
        assert!(check_upload(b"").is_err());
        let big = vec![b' '; UPLOAD_MAX_BYTES + 1];
        assert!(check_upload(&big).unwrap_err().contains("at most 1 MB"));
        let svg = check_upload(
            br#"<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><circle r="3"/></svg>"#,
        )
        .unwrap();
        assert_eq!(svg.mime_type, "image/svg+xml");
        assert!(!String::from_utf8(svg.bytes).unwrap().contains("onload"));
        assert_eq!(svg.removed, ["the event attribute onload"]);
    }

    #[test]
    fn a_small_file_cannot_claim_a_huge_picture() {
        let e = check_upload(&png(UPLOAD_MAX_SIDE + 1, 1)).unwrap_err();
        assert!(e.contains("larger than"), "{e}");
    }

    #[test]
    fn references_and_search() {
        assert_eq!(
            IconRef::parse("lucide:dollar-sign"),
            Some(IconRef::Builtin("dollar-sign"))
        );
        assert_eq!(IconRef::parse("lucide:no-such-icon"), None);
        assert_eq!(IconRef::parse("upload:../../etc/passwd"), None);
        assert!(IconRef::parse(&format!("upload:{}", "a".repeat(64))).is_some());
        let money: Vec<String> = search("money").into_iter().map(|i| i.name).collect();
        assert!(money.contains(&"banknote".to_owned()), "{money:?}");
        assert_eq!(search("").len(), lucide::ICONS.len());
        // Every built-in icon is itself a clean SVG.
        for i in search("") {
            let (_, removed) = svg::sanitize(&i.svg).unwrap();
            assert!(removed.is_empty(), "{}: {removed:?}", i.name);
        }
    }
}
