//! QR codes for the badge token, drawn three ways: as a module matrix for
//! the PDF badges, as a PNG for emails and as an inline SVG for web pages.

use std::fmt::Write;

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{Color, EcLevel};

/// Light modules around the code; the QR specification asks for four.
const QUIET: usize = 4;

/// A QR code as a square of dark/light modules (no quiet zone).
pub struct Matrix {
    /// Modules per side.
    pub width: usize,
    modules: Vec<bool>,
}

impl Matrix {
    /// Whether the module in column `x`, row `y` is dark.
    pub fn dark(&self, x: usize, y: usize) -> bool {
        self.modules[y * self.width + x]
    }

    /// Runs of dark modules in row `y`, as `(first column, length)`.
    ///
    /// Drawing runs instead of single modules keeps vector output small.
    pub fn runs(&self, y: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let row = &self.modules[y * self.width..(y + 1) * self.width];
        let mut x = 0;
        std::iter::from_fn(move || {
            while x < row.len() && !row[x] {
                x += 1;
            }
            if x == row.len() {
                return None;
            }
            let start = x;
            while x < row.len() && row[x] {
                x += 1;
            }
            Some((start, x - start))
        })
    }
}

/// Encodes `text` at error-correction level M, which survives a scuffed or
/// creased badge while keeping the code small.
///
/// qrcode picks the most compact mode by itself, so an uppercase base32
/// token is stored in alphanumeric mode (about 138 characters fit in a
/// 41-module version 6 code). Text too long even for level L, over about
/// 2,900 bytes, gives an empty matrix (`width == 0`) rather than a panic.
pub fn matrix(text: &str) -> Matrix {
    encode(text, EcLevel::M)
        .or_else(|| encode(text, EcLevel::L))
        .unwrap_or(Matrix {
            width: 0,
            modules: Vec::new(),
        })
}

/// The same steps as `QrCode::with_error_correction_level`, except for the
/// choice of mask: qrcode scores the eight candidates module by module,
/// which takes about a millisecond, several times more than everything else
/// on a badge; scoring rows and columns as bit sets takes microseconds.
fn encode(text: &str, level: EcLevel) -> Option<Matrix> {
    let bits = qrcode::bits::encode_auto(text.as_bytes(), level).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
    let mut canvas = Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let width = usize::try_from(version.width()).ok()?;
    if width <= MAX_BITS_WIDTH {
        let mask = best_mask(&canvas, width);
        canvas.apply_mask(mask);
    } else {
        canvas = canvas.apply_best_mask();
    }
    let modules = canvas
        .into_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Some(Matrix { width, modules })
}

/// Widest code whose rows fit a `u128` with four light modules of margin
/// on each side (version 25, enough for 1,200 alphanumeric characters).
const MAX_BITS_WIDTH: usize = 120;

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// Whether `mask` flips the module in column `x`, row `y` (the formulas
/// of the QR specification, as qrcode applies them).
fn flips(mask: MaskPattern, x: usize, y: usize) -> bool {
    match mask {
        MaskPattern::Checkerboard => (x + y) % 2 == 0,
        MaskPattern::HorizontalLines => y % 2 == 0,
        MaskPattern::VerticalLines => x % 3 == 0,
        MaskPattern::DiagonalLines => (x + y) % 3 == 0,
        MaskPattern::LargeCheckerboard => (y / 2 + x / 3) % 2 == 0,
        MaskPattern::Fields => (x * y) % 2 + (x * y) % 3 == 0,
        MaskPattern::Diamonds => ((x * y) % 2 + (x * y) % 3) % 2 == 0,
        MaskPattern::Meadow => ((x + y) % 2 + (x * y) % 3) % 2 == 0,
    }
}

/// The mask with the lowest penalty for a canvas holding data but no mask
/// yet. qrcode writes the format information (30 modules) only with the
/// chosen mask, so candidates are scored with those modules masked like
/// data; the ranking barely depends on them.
fn best_mask(canvas: &Canvas, w: usize) -> MaskPattern {
    // Unmasked colour and "mask applies here" bits, by row and by column.
    let mut rows = vec![(0u128, 0u128); w];
    let mut columns = vec![(0u128, 0u128); w];
    for (y, row) in rows.iter_mut().enumerate() {
        for (x, column) in columns.iter_mut().enumerate() {
            let module = canvas.get(x as i16, y as i16);
            let dark = u128::from(module.is_dark());
            let free = u128::from(!matches!(module, Module::Masked(_)));
            row.0 |= dark << x;
            row.1 |= free << x;
            column.0 |= dark << y;
            column.1 |= free << y;
        }
    }
    let mut masked_rows = vec![0u128; w];
    let mut masked_columns = vec![0u128; w];
    MASKS
        .iter()
        .copied()
        .min_by_key(|&mask| {
            // Every mask repeats after 12 rows and after 12 columns.
            let mut row_flips = [0u128; 12];
            let mut column_flips = [0u128; 12];
            for k in 0..12 {
                for i in 0..w {
                    row_flips[k] |= u128::from(flips(mask, i, k)) << i;
                    column_flips[k] |= u128::from(flips(mask, k, i)) << i;
                }
            }
            for (y, &(dark, free)) in rows.iter().enumerate() {
                masked_rows[y] = dark ^ (free & row_flips[y % 12]);
            }
            for (x, &(dark, free)) in columns.iter().enumerate() {
                masked_columns[x] = dark ^ (free & column_flips[x % 12]);
            }
            penalty(&masked_rows, &masked_columns, w)
        })
        .unwrap_or(MaskPattern::Checkerboard)
}

/// The mask penalty of ISO/IEC 18004 (section 7.8.3): long runs, 2×2
/// blocks, finder look-alikes and dark/light imbalance all make a code
/// harder to read. Bit `x` of a row is column `x`.
fn penalty(rows: &[u128], columns: &[u128], w: usize) -> u32 {
    let pairs = (1u128 << (w - 1)) - 1;
    let mut score: u32 = rows
        .iter()
        .chain(columns)
        .map(|&l| line_penalty(l, w))
        .sum();
    for pair in rows.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let blocks = !(a ^ (a >> 1)) & !(b ^ (b >> 1)) & !(a ^ b) & pairs;
        score += 3 * blocks.count_ones();
    }
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let percent = dark as usize * 100 / (w * w);
    score + 10 * (percent.abs_diff(50) / 5) as u32
}

/// Run and finder-look-alike penalties of one row or column.
fn line_penalty(line: u128, w: usize) -> u32 {
    // Bit x: modules x and x + 1 match.
    let same = !(line ^ (line >> 1)) & ((1u128 << (w - 1)) - 1);
    // Bit x: modules x to x + 4 match. A run of n ≥ 5 costs n − 2, that is
    // its n − 4 five-module windows plus 2 at its start.
    let five = same & (same >> 1) & (same >> 2) & (same >> 3);
    let starts = five & !(five << 1);
    let runs = five.count_ones() + 2 * starts.count_ones();
    // Dark-light-dark×3-light-dark with four light modules before or after;
    // shifting by 4 puts the light surroundings of the symbol in range.
    let p = line << 4;
    let finder = p & !(p >> 1) & (p >> 2) & (p >> 3) & (p >> 4) & !(p >> 5) & (p >> 6);
    let light4 = !(p | (p >> 1) | (p >> 2) | (p >> 3));
    let finders = finder & ((light4 << 4) | (light4 >> 7));
    runs + 40 * finders.count_ones()
}

/// A 1-bit greyscale PNG with a 4-module quiet zone, `px` pixels per module
/// (at least 1), black on white. For emails, where SVG is not shown.
pub fn png(text: &str, px: u32) -> Vec<u8> {
    let m = matrix(text);
    let px = px.max(1) as usize;
    let side = (m.width + 2 * QUIET) * px;
    let stride = side.div_ceil(8);
    // 1 is white in a greyscale PNG; start all white and clear dark pixels.
    let mut pixels = vec![0xFFu8; stride * side];
    for y in 0..m.width {
        let top = (y + QUIET) * px;
        let row = &mut pixels[top * stride..(top + 1) * stride];
        for (x, len) in m.runs(y) {
            let left = (x + QUIET) * px;
            for p in left..left + len * px {
                row[p / 8] &= !(0x80 >> (p % 8));
            }
        }
        // A module is `px` identical pixel rows.
        let (first, rest) = pixels[top * stride..(top + px) * stride].split_at_mut(stride);
        for copy in rest.chunks_exact_mut(stride) {
            copy.copy_from_slice(first);
        }
    }

    let mut out = Vec::with_capacity(256 + pixels.len() / 16);
    let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    encoder.set_compression(png::Compression::Fast);
    // Writing into a Vec cannot fail and the header is valid by construction.
    let mut writer = encoder.write_header().expect("PNG header");
    writer.write_image_data(&pixels).expect("PNG data");
    writer.finish().expect("PNG end");
    out
}

/// An inline SVG for web pages: the viewBox counts modules (quiet zone
/// included) and has no fixed size, so CSS decides how large it is drawn.
///
/// The dark modules form one `<path>` with crisp edges so browsers do not
/// blur them; a white square underneath keeps it scannable in dark themes.
pub fn svg(text: &str, label: &str) -> String {
    let m = matrix(text);
    let side = m.width + 2 * QUIET;
    let mut out = String::with_capacity(200 + m.width * m.width * 2);
    out.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 "#);
    let _ = write!(out, "{side} {side}");
    out.push_str(r#"" role="img" aria-label=""#);
    escape_into(label, &mut out);
    out.push_str(r##""><rect width="100%" height="100%" fill="#fff"/>"##);
    out.push_str(r##"<path fill="#000" shape-rendering="crispEdges" d=""##);
    for y in 0..m.width {
        for (x, len) in m.runs(y) {
            let _ = write!(out, "M{} {}h{len}v1h-{len}z", x + QUIET, y + QUIET);
        }
    }
    out.push_str(r#""/></svg>"#);
    out
}

/// Escapes text for a double-quoted XML attribute.
fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token shaped like the real ones: "RC1" and 135 base32 characters.
    fn token() -> String {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let body: String = (0..135)
            .map(|i| char::from(alphabet[(i * 7 + 3) % 32]))
            .collect();
        format!("RC1{body}")
    }

    #[test]
    fn token_uses_alphanumeric_mode() {
        let t = token();
        assert_eq!(t.len(), 138);
        let m = matrix(&t);
        // Version 6 (41 modules) holds 154 alphanumeric characters at level
        // M; byte mode would need version 8 (49 modules).
        assert_eq!(m.width, 41);
        // Finder pattern corners are dark, the separator next to them light.
        assert!(m.dark(0, 0) && m.dark(40, 0) && m.dark(0, 40));
        assert!(!m.dark(7, 0));
    }

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let m = matrix(&token());
        for y in 0..m.width {
            let mut row = vec![false; m.width];
            for (x, len) in m.runs(y) {
                row[x..x + len].iter_mut().for_each(|d| *d = true);
            }
            let expected: Vec<bool> = (0..m.width).map(|x| m.dark(x, y)).collect();
            assert_eq!(row, expected);
        }
    }

    #[test]
    fn png_decodes_to_the_right_size() {
        let m = matrix(&token());
        let bytes = png(&token(), 3);
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoder = ::png::Decoder::new(std::io::Cursor::new(&bytes));
        let mut reader = decoder.read_info().unwrap();
        let side = ((m.width + 8) * 3) as u32;
        assert_eq!(reader.info().size(), (side, side));
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut buf).unwrap();
        assert_eq!(frame.bit_depth, ::png::BitDepth::One);
        // Top-left pixel is quiet zone (white); the finder's corner is black.
        let stride = frame.line_size;
        let pixel = |x: usize, y: usize| buf[y * stride + x / 8] & (0x80 >> (x % 8)) != 0;
        assert!(pixel(0, 0));
        assert!(!pixel(12, 12));
    }

    #[test]
    fn svg_is_well_formed_and_escapes_the_label() {
        let s = svg(&token(), r#"Badge de "Zoé" <Ouédraogo> & Cie"#);
        assert!(s.starts_with("<svg ") && s.ends_with("</svg>"));
        assert!(s.contains(r#"viewBox="0 0 49 49""#));
        assert!(s.contains(r#"role="img""#));
        assert!(s.contains(r#"shape-rendering="crispEdges""#));
        assert!(s.contains("aria-label=\"Badge de &quot;Zoé&quot; &lt;Ouédraogo&gt; &amp; Cie\""));
        assert_eq!(s.matches("<path").count(), 1);
        assert_eq!(s.matches('<').count(), s.matches('>').count());
        // Everything opened is closed: the root, a self-closing rect and path.
        assert_eq!(s.matches("/>").count(), 2);
        // The finder pattern's top edge starts at the quiet zone.
        assert!(s.contains("M4 4h7v1h-7z"));
    }

    /// The penalty rules applied module by module, as the specification
    /// words them; outside the symbol counts as light.
    fn reference_penalty(grid: &[Vec<bool>]) -> u32 {
        let w = grid.len();
        let mut score = 0;
        for transpose in [false, true] {
            let at = |i: usize, j: usize| if transpose { grid[j][i] } else { grid[i][j] };
            for i in 0..w {
                let mut j = 0;
                while j < w {
                    let mut k = j;
                    while k < w && at(i, k) == at(i, j) {
                        k += 1;
                    }
                    if k - j >= 5 {
                        score += (k - j) as u32 - 2;
                    }
                    j = k;
                }
                let m = |j: isize| j >= 0 && (j as usize) < w && at(i, j as usize);
                for j in 0..w as isize {
                    let core = [true, false, true, true, true, false, true]
                        .iter()
                        .zip(j..)
                        .all(|(&d, k)| m(k) == d);
                    let before = (j - 4..j).all(|k| !m(k));
                    let after = (j + 7..j + 11).all(|k| !m(k));
                    if core && (before || after) {
                        score += 40;
                    }
                }
            }
        }
        for y in 0..w - 1 {
            for x in 0..w - 1 {
                let c = grid[y][x];
                if grid[y][x + 1] == c && grid[y + 1][x] == c && grid[y + 1][x + 1] == c {
                    score += 3;
                }
            }
        }
        let dark = grid.iter().flatten().filter(|&&d| d).count();
        score + 10 * ((dark * 100 / (w * w)).abs_diff(50) / 5) as u32
    }

    #[test]
    fn bit_penalty_matches_the_rules() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for (w, density) in [(21, 2), (41, 2), (41, 3), (57, 2), (120, 2), (25, 5)] {
            // Random grids plus runs and finder shapes planted by `density`.
            let mut grid = vec![vec![false; w]; w];
            for (y, row) in grid.iter_mut().enumerate() {
                for (x, cell) in row.iter_mut().enumerate() {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    *cell = state % density == 0 || (y % 9 == 0 && x < 7 && x != 1 && x != 5);
                }
            }
            let rows: Vec<u128> = grid
                .iter()
                .map(|r| r.iter().enumerate().map(|(x, &d)| u128::from(d) << x).sum())
                .collect();
            let columns: Vec<u128> = (0..w)
                .map(|x| (0..w).map(|y| u128::from(grid[y][x]) << y).sum())
                .collect();
            assert_eq!(
                penalty(&rows, &columns, w),
                reference_penalty(&grid),
                "width {w}"
            );
        }
    }

    #[test]
    fn large_codes_still_encode() {
        // Version 26 and up use qrcode's own mask choice.
        let m = matrix(&"A".repeat(1500));
        assert!(m.width > MAX_BITS_WIDTH);
        assert!(m.dark(0, 0) && !m.dark(7, 7));
    }

    #[test]
    fn oversized_text_gives_an_empty_matrix() {
        let m = matrix(&"x".repeat(4000));
        assert_eq!(m.width, 0);
        assert!(svg(&"x".repeat(4000), "t").contains(r#"viewBox="0 0 8 8""#));
    }
}
