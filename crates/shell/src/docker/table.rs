//! Output shapes the docker CLI shares: its tabwriter (columns padded to
//! `max(widest cell + 3, 10)`, the last column unpadded), display widths
//! (wide CJK characters take two cells), `Ellipsis`, and sizes.

/// Cells a character takes in a terminal (go-runewidth's East Asian Wide
/// and Fullwidth ranges, simplified to the blocks people type).
pub fn char_width(c: char) -> usize {
    let cp = c as u32;
    if cp < 0x20 || (0x7f..0xa0).contains(&cp) {
        return 0;
    }
    if cp < 0x1100 {
        return 1;
    }
    let wide = (0x1100..=0x115f).contains(&cp)
        || (0x2e80..=0x303e).contains(&cp)
        || (0x3041..=0x33ff).contains(&cp)
        || (0x3400..=0x4dbf).contains(&cp)
        || (0x4e00..=0x9fff).contains(&cp)
        || (0xa000..=0xa4cf).contains(&cp)
        || (0xac00..=0xd7a3).contains(&cp)
        || (0xf900..=0xfaff).contains(&cp)
        || (0xfe30..=0xfe4f).contains(&cp)
        || (0xff00..=0xff60).contains(&cp)
        || (0xffe0..=0xffe6).contains(&cp)
        || (0x1f300..=0x1f64f).contains(&cp)
        || (0x1f900..=0x1f9ff).contains(&cp)
        || (0x20000..=0x3fffd).contains(&cp);
    if wide {
        2
    } else {
        1
    }
}

pub fn display_width(s: &str) -> usize {
    // Printable ASCII, nearly every cell docker prints, is one cell a byte.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    s.chars().map(char_width).sum()
}

/// The CLI's `formatter.Ellipsis`: cut to `max` display cells, ending in `…`.
pub fn ellipsis(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    if display_width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in s.chars() {
        let w = char_width(c);
        if width + w > max - 1 {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Aligns tab-separated rows like docker's tabwriter
/// (`minwidth=10, tabwidth=1, padding=3`). Every line ends with `\n`.
pub fn tabwrite(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    let mut total = 0;
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max(display_width(cell) + 3).max(10);
            }
            total += cell.len();
        }
    }
    let padded: usize = widths.iter().sum();
    let mut out = String::with_capacity(total + rows.len() * (padded + 1));
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - display_width(cell);
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

/// Go's `%.*g` for a positive value: `precision` significant digits, no
/// trailing zeros, exponent form when the exponent is < -4 or >= precision.
fn go_g(v: f64, precision: usize) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let sci = format!("{:.*e}", precision.saturating_sub(1), v);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= precision as i32 {
        let m = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{m}e{sign}{:02}", exp.abs());
    }
    let decimals = (precision as i32 - 1 - exp).max(0) as usize;
    let fixed = format!("{v:.decimals$}");
    if fixed.contains('.') {
        fixed
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        fixed
    }
}

fn scaled(size: f64, precision: usize) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut v = size;
    let mut i = 0;
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    format!("{}{}", go_g(v, precision), UNITS[i])
}

/// go-units `HumanSizeWithPrecision(size, 3)`: `187MB`, `1.09GB`, `13.3kB`.
pub fn human_size(bytes: u64) -> String {
    scaled(bytes as f64, 3)
}

/// go-units `HumanSize` (4 significant digits), as `system df` uses.
pub fn human_size4(bytes: u64) -> String {
    scaled(bytes as f64, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_go_units() {
        assert_eq!(human_size(187_400_000), "187MB");
        assert_eq!(human_size(1_089_400_000), "1.09GB");
        assert_eq!(human_size(13_256), "13.3kB");
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(999), "999B");
        assert_eq!(human_size(999_600), "1e+03kB");
        assert_eq!(human_size(10_072), "10.1kB");
        assert_eq!(human_size4(1_089_400_000), "1.089GB");
    }

    #[test]
    fn tabwriter_pads_to_three_and_ten() {
        let rows = vec![
            vec!["CONTAINER ID".into(), "IMAGE".into(), "NAMES".into()],
            vec!["abc".into(), "nginx".into(), "web".into()],
        ];
        assert_eq!(
            tabwrite(&rows),
            "CONTAINER ID   IMAGE     NAMES\nabc            nginx     web\n"
        );
    }

    #[test]
    fn ellipsis_counts_display_width() {
        assert_eq!(
            ellipsis("/docker-entrypoint.sh nginx -g 'daemon off;'", 20),
            "/docker-entrypoint.…"
        );
        assert_eq!(ellipsis("short", 20), "short");
        assert_eq!(display_width("한글"), 4);
        assert_eq!(ellipsis("한글한글한글", 5), "한글…");
    }
}
