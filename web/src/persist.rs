//! The sandbox survives a reload, and travels in a link, as what made it:
//! the seed and a journal of what the learner did (lines entered, Ctrl-C,
//! lessons picked) with the virtual time between them. The engine is
//! deterministic, so replaying the journal rebuilds the same host and the
//! same screen. Undo is the same replay without the last line.
//!
//! Saves carry a schema version. One that cannot be read, or comes from a
//! newer Tidepool, is never dropped: it is moved to [`ASIDE_KEY`] and the
//! terminal says so.

use serde::{Deserialize, Serialize};

pub const SAVE_KEY: &str = "tidepool.sandbox";
pub const ASIDE_KEY: &str = "tidepool.sandbox.unreadable";
pub const VERSION: u32 = 1;
/// A share link's fragment starts with this.
pub const LINK_PREFIX: &str = "#sandbox=";

/// One thing the learner did that changes what the sandbox is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    /// Virtual milliseconds that passed.
    Wait(u64),
    /// A line entered at the prompt (a password as `********`).
    Line(String),
    /// Ctrl-C, with what was typed on the line then.
    Interrupt(String),
    /// Ctrl-D that left a container's shell.
    EndOfInput,
    /// Ctrl-L.
    Clear,
    /// A lesson picked (`None`: the free sandbox).
    Lesson(Option<String>),
    /// The lesson started again on a fresh host.
    Restart,
    /// The editor saved a file (`container`: `None` for the machine).
    Write {
        container: Option<String>,
        path: String,
        text: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Save {
    pub version: u32,
    pub seed: u64,
    pub entries: Vec<Entry>,
}

impl Save {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A save from its JSON; the error says why it cannot be used.
    pub fn from_json(text: &str) -> Result<Save, String> {
        #[derive(Deserialize)]
        struct Versioned {
            version: u32,
        }
        let versioned: Versioned =
            serde_json::from_str(text).map_err(|e| format!("it is not a Tidepool save ({e})"))?;
        if versioned.version > VERSION {
            return Err(format!(
                "it was written by a newer Tidepool (save version {}, this one reads {VERSION})",
                versioned.version
            ));
        }
        serde_json::from_str(text).map_err(|e| format!("it is damaged ({e})"))
    }

    /// The link fragment: the save's JSON, base64url.
    pub fn to_fragment(&self) -> String {
        format!("{LINK_PREFIX}{}", base64url(self.to_json().as_bytes()))
    }

    pub fn from_fragment(fragment: &str) -> Option<Result<Save, String>> {
        let data = fragment.strip_prefix(LINK_PREFIX)?;
        Some(
            unbase64url(data)
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| "the link is damaged".to_string())
                .and_then(|t| Save::from_json(&t)),
        )
    }
}

/// What the browser had saved.
pub enum Loaded {
    Nothing,
    Save(Save),
    /// Kept aside under [`ASIDE_KEY`]; the reason says why.
    Unreadable(String),
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load() -> Loaded {
    let Some(storage) = storage() else {
        return Loaded::Nothing;
    };
    let Ok(Some(text)) = storage.get_item(SAVE_KEY) else {
        return Loaded::Nothing;
    };
    match Save::from_json(&text) {
        Ok(save) => Loaded::Save(save),
        Err(reason) => {
            let _ = storage.set_item(ASIDE_KEY, &text);
            let _ = storage.remove_item(SAVE_KEY);
            Loaded::Unreadable(reason)
        }
    }
}

pub fn store(save: &Save) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(SAVE_KEY, &save.to_json());
    }
}

pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(SAVE_KEY);
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_goes_through_a_link_and_back() {
        let save = Save {
            version: VERSION,
            seed: 42,
            entries: vec![
                Entry::Line("docker run -d -p 8080:80 nginx".into()),
                Entry::Wait(1500),
                Entry::Line("echo '한국어 ✓'".into()),
                Entry::Interrupt("half".into()),
                Entry::Lesson(Some("hello".into())),
            ],
        };
        let fragment = save.to_fragment();
        assert!(fragment.starts_with(LINK_PREFIX));
        assert!(fragment[LINK_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(Save::from_fragment(&fragment), Some(Ok(save)));
        for n in 0..8 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 200) as u8).collect();
            assert_eq!(unbase64url(&base64url(&bytes)), Some(bytes));
        }
    }

    #[test]
    fn unreadable_and_future_saves_say_why() {
        assert!(Save::from_json("{not json")
            .unwrap_err()
            .starts_with("it is not a Tidepool save"));
        let future = r#"{"version":99,"seed":1,"entries":[]}"#;
        assert!(Save::from_json(future)
            .unwrap_err()
            .contains("newer Tidepool (save version 99"));
        let damaged = r#"{"version":1,"seed":"x","entries":[]}"#;
        assert!(Save::from_json(damaged)
            .unwrap_err()
            .starts_with("it is damaged"));
        assert_eq!(Save::from_fragment("#other"), None);
        assert_eq!(
            Save::from_fragment("#sandbox=!!"),
            Some(Err("the link is damaged".into()))
        );
    }
}
