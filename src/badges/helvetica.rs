//! Metrics and encoding for the PDF base-14 Helvetica fonts under
//! `/WinAnsiEncoding`.
//!
//! Base-14 fonts are not embedded, so the widths below (Adobe's Core14 AFM
//! advance widths, in 1/1000 em; the Euro, which those files predate, at the
//! 556 of the metric-compatible URW Nimbus Sans) are all we have to measure
//! and centre text.
//! Index `i` holds the width of byte `32 + i`. The codes WinAnsi leaves
//! unassigned (0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D) carry the bullet width,
//! since viewers draw a bullet there; `win_ansi` never produces them.

/// Helvetica.
const REGULAR: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0x30
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 0x50
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 0x60
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350, // 0x70
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, // 0x80
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 0xF0
];

/// Helvetica-Bold.
const BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0x30
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 0x50
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 0x60
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350, // 0x70
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, // 0x80
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 0xF0
];

/// Advance width of one WinAnsi byte, in 1/1000 em; control bytes have none.
pub fn advance(byte: u8, bold: bool) -> u16 {
    if byte < 32 {
        return 0;
    }
    let table = if bold { &BOLD } else { &REGULAR };
    table[usize::from(byte - 32)]
}

/// The WinAnsi byte that draws `c`, or `None` for marks that draw nothing.
///
/// Letters outside the code page lose their diacritics (ł → l, ș → s,
/// ễ → e) so that names stay readable; anything else becomes `?`.
pub fn win_ansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    let byte = match code {
        0x20..=0x7E | 0xA0..=0xFF => code as u8,
        // Tabs, line breaks and other controls would draw nothing useful.
        0x00..=0x1F | 0x7F..=0x9F => b' ',
        _ => match c {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '‘' | 'ʻ' => 0x91,
            '’' | 'ʼ' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            // Typographic spaces and hyphens have a plain equivalent.
            '\u{2007}' | '\u{202F}' => 0xA0,
            '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200A}' | '\u{205F}' => b' ',
            '\u{2010}' | '\u{2011}' | '\u{2212}' => b'-',
            // Combining marks (decomposed input) and invisible characters.
            '\u{0300}'..='\u{036F}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
                return None
            }
            _ => base_letter(c).unwrap_or(b'?'),
        },
    };
    Some(byte)
}

/// Base letters of Latin Extended-A, U+0100 to U+017F; `?` marks the
/// characters that have no single base letter or are handled above.
const LATIN_EXT_A: &[u8; 128] = b"AaAaAaCcCcCcCcDd\
DdEeEeEeEeEeGgGg\
GgGgHhHhIiIiIiIi\
Ii??JjKkkLlLlLlL\
lLlNnNnNnnNnOoOo\
Oo??RrRrRrSsSsSs\
??TtTtTtUuUuUuUu\
UuUuWwYy?ZzZz??s";

/// Base letters of the Vietnamese part of Latin Extended Additional,
/// U+1EA0 to U+1EF9.
const VIETNAMESE: &[u8; 90] = b"AaAaAaAaAaAaAaAaAaAaAaAa\
EeEeEeEeEeEeEeEe\
IiIi\
OoOoOoOoOoOoOoOoOoOoOoOo\
UuUuUuUuUuUuUu\
YyYyYyYy";

/// The unaccented letter under `c`, for letters WinAnsi lacks.
fn base_letter(c: char) -> Option<u8> {
    let code = u32::from(c);
    let byte = match code {
        0x0100..=0x017F => LATIN_EXT_A[(code - 0x0100) as usize],
        0x1EA0..=0x1EF9 => VIETNAMESE[(code - 0x1EA0) as usize],
        _ => match c {
            'Ơ' => b'O',
            'ơ' => b'o',
            'Ư' => b'U',
            'ư' => b'u',
            'Ǎ' => b'A',
            'ǎ' => b'a',
            'Ǐ' => b'I',
            'ǐ' => b'i',
            'Ǒ' => b'O',
            'ǒ' => b'o',
            'Ǔ' => b'U',
            'ǔ' => b'u',
            'Ǖ' | 'Ǘ' | 'Ǚ' | 'Ǜ' => 0xDC,
            'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 0xFC,
            'Ș' => b'S',
            'ș' => b's',
            'Ț' => b'T',
            'ț' => b't',
            'Ḍ' | 'Ḏ' => b'D',
            'ḍ' | 'ḏ' => b'd',
            'Ḥ' => b'H',
            'ḥ' => b'h',
            'Ṣ' => b'S',
            'ṣ' => b's',
            'Ṭ' => b'T',
            'ṭ' => b't',
            'Ẓ' => b'Z',
            'ẓ' => b'z',
            _ => return None,
        },
    };
    (byte != b'?').then_some(byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_maps_to_itself() {
        assert_eq!(win_ansi('é'), Some(0xE9));
        assert_eq!(win_ansi('ÿ'), Some(0xFF));
        assert_eq!(win_ansi('·'), Some(0xB7));
        assert_eq!(win_ansi('A'), Some(b'A'));
    }

    #[test]
    fn windows_block_is_mapped() {
        let block = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";
        let bytes: Vec<u8> = block.chars().filter_map(win_ansi).collect();
        let expected: Vec<u8> = (0x80..=0x9F)
            .filter(|b| ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(b))
            .collect();
        assert_eq!(bytes, expected);
    }

    #[test]
    fn diacritics_are_stripped() {
        let folded: String = "łŁőșțğıđāčěřŐĄęŃŻ Nguyễn Đặng Ơ"
            .chars()
            .filter_map(win_ansi)
            .map(char::from)
            .collect();
        assert_eq!(folded, "lLostgidacerOAeNZ Nguyen Dang O");
        assert_eq!(win_ansi('ž'), Some(0x9E));
        assert_eq!(win_ansi('Ĳ'), Some(b'?'));
        assert_eq!(win_ansi('中'), Some(b'?'));
        assert_eq!(win_ansi('\u{301}'), None);
    }

    #[test]
    fn widths_follow_the_afm() {
        assert_eq!(advance(b' ', false), 278);
        assert_eq!(advance(b'W', true), 944);
        assert_eq!(advance(0x80, false), 556);
        assert_eq!(advance(0xE9, false), 556);
        assert_eq!(advance(0xE9, true), 556);
        assert_eq!(advance(b'm', true), 889);
        assert_eq!(advance(b'\n', false), 0);
    }
}
