//! Printable name badges: one A6 badge per PDF for participants to print
//! themselves, or four to an A4 sheet for printing the whole list at once.
//!
//! Text uses the base-14 Helvetica fonts, which every viewer and printer has,
//! so nothing is embedded and a badge stays a few kilobytes. The QR code is
//! vector art, sharp at any printer resolution.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::{helvetica, qr};

/// What is printed on one badge. All strings are already in the participant's language.
pub struct Face<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub organisation: &'a str,
    /// Country name, e.g. "Sénégal".
    pub country: &'a str,
    /// Label printed in the colour band, e.g. "PARTICIPANT", "INTERVENANT·E", "ORGANISATION", "PRESSE".
    pub category: &'a str,
    /// Colour of the band (RGB).
    pub band: (u8, u8, u8),
    /// E.g. "14es Rencontres de l'action internationale des collectivités territoriales".
    pub event: &'a str,
    /// E.g. "18–19 septembre 2023 · Paris".
    pub dates: &'a str,
    /// QR content.
    pub token: &'a str,
}

/// One badge on one A6 portrait page (105 × 148 mm).
pub fn badge(face: &Face) -> Vec<u8> {
    let mut doc = Doc::new(1, BADGE_W, BADGE_H);
    let mut content = Content::new();
    draw(face, 0.0, 0.0, &mut content);
    doc.page(0, &content.finish());
    let title = format!(
        "Badge – {} {}",
        face.first_name.trim(),
        face.last_name.trim()
    );
    doc.finish(&title)
}

/// Badges four to an A4 portrait page (2 × 2 A6, no margins between them), with light cut marks; in order, last page may be partly empty. Empty slice → a PDF with one blank A4 page.
pub fn sheets(faces: &[Face]) -> Vec<u8> {
    let pages = faces.len().div_ceil(4).max(1);
    let mut doc = Doc::new(pages, A4_W, A4_H);
    for (index, group) in faces.chunks(4).enumerate() {
        let mut content = Content::new();
        for (slot, face) in group.iter().enumerate() {
            let column = (slot % 2) as f32;
            let row = (slot / 2) as f32;
            draw(
                face,
                column * BADGE_W,
                SHEET_Y + (1.0 - row) * BADGE_H,
                &mut content,
            );
        }
        cut_marks(&mut content);
        doc.page(index, &content.finish());
    }
    if faces.is_empty() {
        doc.page(0, &[]);
    }
    doc.finish("Badges")
}

const MM: f32 = 72.0 / 25.4;
const BADGE_W: f32 = 105.0 * MM;
const BADGE_H: f32 = 148.0 * MM;
const A4_W: f32 = 210.0 * MM;
const A4_H: f32 = 297.0 * MM;
/// Two badges are 1 mm shorter than A4; split it above and below.
const SHEET_Y: f32 = (A4_H - 2.0 * BADGE_H) / 2.0;

/// Keeps text clear of the unprintable edge of office printers (~5 mm)
/// when badges are printed four to a sheet.
const MARGIN: f32 = 7.0 * MM;
const TEXT_W: f32 = BADGE_W - 2.0 * MARGIN;
const BAND_H: f32 = 18.0 * MM;
/// QR side including its quiet zone: large enough for a quick scan from a
/// hand scanner or phone at the welcome desk.
const QR_SIDE: f32 = 35.0 * MM;
const QR_GAP: f32 = 2.5 * MM;

const HEADER_SIZE: f32 = 7.5;
const HEADER_LEADING: f32 = 9.2;
const FIRST_MAX: f32 = 26.0;
const FIRST_WRAP: f32 = 19.0;
const LAST_MAX: f32 = 32.0;
const LAST_WRAP: f32 = 22.0;
/// Below this a name is cut with an ellipsis instead of shrinking further.
const NAME_FLOOR: f32 = 10.0;
const ORG_SIZE: f32 = 11.0;
const COUNTRY_SIZE: f32 = 9.0;
const LABEL_MAX: f32 = 20.0;

/// Helvetica's cap height and descender, in em.
const CAP: f32 = 0.718;
const DESCENT: f32 = 0.207;
/// Top of accented capitals (É, Ô), in em.
const ACCENT_TOP: f32 = 0.93;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
const ELLIPSIS: u8 = 0x85;

/// A PDF under construction with its fixed objects (catalog, page tree and
/// the two fonts) and one page slot per page.
struct Doc {
    pdf: Pdf,
    size: Rect,
}

const CATALOG: Ref = Ref::new(1);
const TREE: Ref = Ref::new(2);
const FONT_REGULAR: Ref = Ref::new(3);
const FONT_BOLD: Ref = Ref::new(4);
const INFO: Ref = Ref::new(5);

/// Page `i` and its content stream.
fn page_refs(i: usize) -> (Ref, Ref) {
    let id = 6 + 2 * i as i32;
    (Ref::new(id), Ref::new(id + 1))
}

impl Doc {
    fn new(pages: usize, width: f32, height: f32) -> Self {
        let mut pdf = Pdf::with_capacity(2048 + pages * 9 * 1024);
        let mut catalog = pdf.catalog(CATALOG);
        catalog.pages(TREE);
        // Cut marks and the QR size only hold when printed at 100 %.
        catalog
            .viewer_preferences()
            .pair(Name(b"PrintScaling"), Name(b"None"));
        catalog.finish();
        pdf.pages(TREE)
            .kids((0..pages).map(|i| page_refs(i).0))
            .count(pages as i32);
        for (id, base) in [(FONT_REGULAR, "Helvetica"), (FONT_BOLD, "Helvetica-Bold")] {
            pdf.type1_font(id)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        Doc {
            pdf,
            size: Rect::new(0.0, 0.0, width, height),
        }
    }

    fn page(&mut self, index: usize, content: &[u8]) {
        let (page_id, content_id) = page_refs(index);
        let mut page = self.pdf.page(page_id);
        page.parent(TREE).media_box(self.size).contents(content_id);
        page.resources()
            .fonts()
            .pair(REGULAR, FONT_REGULAR)
            .pair(BOLD, FONT_BOLD);
        page.finish();
        if content.is_empty() {
            self.pdf.stream(content_id, content);
        } else {
            let packed = deflate(content);
            self.pdf
                .stream(content_id, &packed)
                .filter(Filter::FlateDecode);
        }
    }

    fn finish(mut self, title: &str) -> Vec<u8> {
        self.pdf
            .document_info(INFO)
            .title(TextStr(title))
            .producer(TextStr("rencontres"));
        self.pdf.finish()
    }
}

/// Flate at the fastest level: badge streams are small and repetitive, so
/// higher levels gain little. The compressor is kept per thread because
/// setting up its tables costs more than compressing one badge.
fn deflate(data: &[u8]) -> Vec<u8> {
    thread_local! {
        static COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), true));
    }
    COMPRESSOR.with_borrow_mut(|compressor| {
        compressor.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let read = compressor.total_in() as usize;
            let status = compressor
                .compress_vec(&data[read..], &mut out, FlushCompress::Finish)
                .expect("deflate into memory");
            if status == Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// Text in the fonts' WinAnsi encoding.
fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'Ĳ' => out.extend_from_slice(b"IJ"),
            'ĳ' => out.extend_from_slice(b"ij"),
            _ => out.extend(helvetica::win_ansi(c)),
        }
    }
    out
}

/// Width of `text` in points, as the fonts will draw it (no kerning).
fn width(text: &str, bold: bool, size: f32) -> f32 {
    measure(&encode(text), bold, size)
}

/// Width of encoded text in points.
fn measure(bytes: &[u8], bold: bool, size: f32) -> f32 {
    let units: u32 = bytes
        .iter()
        .map(|&b| u32::from(helvetica::advance(b, bold)))
        .sum();
    units as f32 * size / 1000.0
}

/// Encoded text ready to print: whitespace runs collapsed and trimmed, so
/// stray spaces in registration data do not shift the centring, and
/// typewriter apostrophes (N'Diaye, l'action) set as typographic ones.
fn clean(text: &str) -> Vec<u8> {
    const APOSTROPHE: u8 = 0x92;
    let mut out = Vec::with_capacity(text.len());
    for b in encode(text) {
        match b {
            b' ' if out.last().is_none_or(|&last| last == b' ') => {}
            b'\'' => out.push(APOSTROPHE),
            _ => out.push(b),
        }
    }
    if out.last() == Some(&b' ') {
        out.pop();
    }
    out
}

/// A font size and the lines set in it.
#[derive(Debug)]
struct Fit {
    size: f32,
    lines: Vec<Vec<u8>>,
}

/// Sizes a name to the badge width: as large as `max` allows on one line;
/// if that would fall under `wrap`, two balanced lines at a larger size are
/// preferred when the name has a break; below `NAME_FLOOR` lines are cut
/// with an ellipsis, so a name never overflows.
fn fit_name(text: &[u8], bold: bool, max: f32, wrap: f32, avail: f32) -> Fit {
    let full = measure(text, bold, max);
    if full <= avail {
        return Fit {
            size: max,
            lines: vec![text.to_vec()],
        };
    }
    let one = floor_tenth(max * avail / full);
    let mut best = Fit {
        size: one,
        lines: vec![text.to_vec()],
    };
    if one < wrap {
        if let Some((a, b)) = balanced_split(text, bold) {
            let widest = measure(a, bold, max).max(measure(b, bold, max));
            let two = floor_tenth(max * (avail / widest).min(1.0));
            if two > one {
                best = Fit {
                    size: two,
                    lines: vec![trim(a).to_vec(), trim(b).to_vec()],
                };
            }
        }
    }
    if best.size < NAME_FLOOR {
        best.size = NAME_FLOOR;
        for line in &mut best.lines {
            *line = ellipsize(line, bold, NAME_FLOOR, avail);
        }
    }
    best
}

/// Rounds a size down to 0.1 pt so the printed number is short and the
/// text is never wider than computed.
fn floor_tenth(size: f32) -> f32 {
    (size * 10.0).floor() / 10.0
}

/// The split at a space or after a hyphen that gives the narrowest widest
/// line.
fn balanced_split(text: &[u8], bold: bool) -> Option<(&[u8], &[u8])> {
    let mut best: Option<(f32, usize)> = None;
    for (i, &b) in text.iter().enumerate() {
        let at = match b {
            b' ' => i,
            b'-' => i + 1,
            _ => continue,
        };
        if at == 0 || at >= text.len() {
            continue;
        }
        let widest =
            measure(trim(&text[..at]), bold, 1.0).max(measure(trim(&text[at..]), bold, 1.0));
        if best.is_none_or(|(w, _)| widest < w) {
            best = Some((widest, at));
        }
    }
    best.map(|(_, at)| (&text[..at], &text[at..]))
}

fn trim(mut text: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = text {
        text = rest;
    }
    while let [rest @ .., b' '] = text {
        text = rest;
    }
    text
}

/// Greedy word wrap into at most `max_lines` lines; text that does not fit
/// ends with an ellipsis. Words wider than a line are broken anywhere.
fn wrap(text: &[u8], bold: bool, size: f32, avail: f32, max_lines: usize) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let space = measure(b" ", bold, size);
    let mut line_w = 0.0;
    for word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let word_w = measure(word, bold, size);
        if !line.is_empty() && line_w + space + word_w <= avail {
            line.push(b' ');
            line.extend_from_slice(word);
            line_w += space + word_w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // Break over-long words (long URLs, acronym chains) by character.
        let mut rest = word;
        while measure(rest, bold, size) > avail {
            let mut cut = 1;
            while cut < rest.len() && measure(&rest[..=cut], bold, size) <= avail {
                cut += 1;
            }
            lines.push(rest[..cut].to_vec());
            rest = &rest[cut..];
        }
        line.extend_from_slice(rest);
        line_w = measure(rest, bold, size);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        let mut last = std::mem::take(&mut lines[max_lines - 1]);
        // Force the ellipsis even when the kept words happen to fit.
        last.push(b' ');
        last.extend_from_slice(&lines[max_lines]);
        lines.truncate(max_lines);
        lines[max_lines - 1] = ellipsize_forced(&last, bold, size, avail);
    }
    lines
}

/// `text` cut to `avail` with a trailing ellipsis, or unchanged if it fits.
fn ellipsize(text: &[u8], bold: bool, size: f32, avail: f32) -> Vec<u8> {
    if measure(text, bold, size) <= avail {
        text.to_vec()
    } else {
        ellipsize_forced(text, bold, size, avail)
    }
}

/// `text` shortened until it fits `avail` with an ellipsis appended, at a
/// word boundary unless that would waste over a third of the line.
fn ellipsize_forced(text: &[u8], bold: bool, size: f32, avail: f32) -> Vec<u8> {
    let room = avail - measure(&[ELLIPSIS], bold, size);
    let mut end = text.len();
    while end > 0 && measure(&text[..end], bold, size) > room {
        end -= 1;
    }
    if let Some(space) = text[..end].iter().rposition(|&b| b == b' ') {
        if end < text.len()
            && text[end] != b' '
            && measure(&text[..space], bold, size) >= room * 2.0 / 3.0
        {
            end = space;
        }
    }
    // Do not leave the ellipsis hanging after a space or punctuation.
    while end > 0 && matches!(text[end - 1], b' ' | b',' | b';' | b':' | b'-' | b'.') {
        end -= 1;
    }
    let mut out = text[..end].to_vec();
    out.push(ELLIPSIS);
    out
}

/// A run of lines in one font, size and colour, centred on the badge.
struct Para {
    bold: bool,
    size: f32,
    leading: f32,
    tracking: f32,
    gray: f32,
    lines: Vec<Vec<u8>>,
    /// Baseline of the first line, measured down from the badge top.
    top: f32,
    /// Space above the paragraph when something precedes it.
    gap: f32,
}

impl Para {
    fn new(fit: Fit, bold: bool, leading: f32, gray: f32, gap: f32) -> Self {
        Para {
            bold,
            size: fit.size,
            leading: leading * fit.size,
            tracking: 0.0,
            gray,
            lines: fit.lines,
            top: 0.0,
            gap,
        }
    }

    /// From the top of the first line's capitals to the last descender.
    fn height(&self) -> f32 {
        if self.lines.is_empty() {
            return 0.0;
        }
        (CAP + DESCENT) * self.size + (self.lines.len() - 1) as f32 * self.leading
    }

    fn line_width(&self, line: &[u8]) -> f32 {
        measure(line, self.bold, self.size) + self.tracking * line.len().saturating_sub(1) as f32
    }
}

/// Everything placed on a badge; computed apart from drawing so that the
/// sizing can be checked without parsing a PDF.
struct Layout {
    header: Vec<Para>,
    body: Vec<Para>,
    label: Option<Para>,
    /// Accent rule under the header: its distance from the badge top.
    rule: f32,
}

fn layout(face: &Face) -> Layout {
    // Header: event name (two lines at most) and dates.
    let mut header = Vec::new();
    let event = wrap(&clean(face.event), false, HEADER_SIZE, TEXT_W, 2);
    let dates = clean(face.dates);
    let mut y = MARGIN + CAP * HEADER_SIZE;
    for (lines, bold, gray) in [(event, false, 0.35), (vec![dates], true, 0.2)] {
        let lines: Vec<Vec<u8>> = lines
            .into_iter()
            .filter(|l| !l.is_empty())
            .map(|l| ellipsize(&l, bold, HEADER_SIZE, TEXT_W))
            .collect();
        if lines.is_empty() {
            continue;
        }
        let n = lines.len();
        header.push(Para {
            bold,
            size: HEADER_SIZE,
            leading: HEADER_LEADING,
            tracking: 0.0,
            gray,
            lines,
            top: y,
            gap: 0.0,
        });
        y += n as f32 * HEADER_LEADING;
    }
    let rule = y - HEADER_LEADING + DESCENT * HEADER_SIZE + 3.0 * MM;
    let zone_top = rule + 4.5 * MM;
    let zone_bottom = BADGE_H - BAND_H - QR_GAP - QR_SIDE - 1.0 * MM;

    // Body: names shrink together if the block would run into the QR code.
    let first = clean(face.first_name);
    let last = clean(&face.last_name.to_uppercase());
    let org = clean(face.organisation);
    let country = clean(&face.country.to_uppercase());
    let mut scale = 1.0;
    let mut body = loop {
        let mut body = Vec::with_capacity(4);
        if !first.is_empty() {
            let fit = fit_name(&first, false, FIRST_MAX * scale, FIRST_WRAP * scale, TEXT_W);
            body.push(Para::new(fit, false, 1.12, 0.1, 0.0));
        }
        if !last.is_empty() {
            let fit = fit_name(&last, true, LAST_MAX * scale, LAST_WRAP * scale, TEXT_W);
            // Room for accents on capitals (É, Ô) under the first name.
            let gap = (ACCENT_TOP - CAP + 0.12) * fit.size;
            body.push(Para::new(fit, true, 1.1, 0.0, gap));
        }
        if !org.is_empty() {
            let lines = wrap(&org, false, ORG_SIZE, TEXT_W, 2);
            let fit = Fit {
                size: ORG_SIZE,
                lines,
            };
            body.push(Para::new(fit, false, 1.2, 0.25, 5.0 * MM));
        }
        if !country.is_empty() {
            let fit = Fit {
                size: COUNTRY_SIZE,
                lines: Vec::new(),
            };
            let mut para = Para::new(fit, true, 1.0, 0.4, 2.5 * MM);
            para.tracking = 0.12 * COUNTRY_SIZE;
            let line = ellipsize(
                &country,
                true,
                COUNTRY_SIZE,
                TEXT_W - para.tracking * country.len() as f32,
            );
            para.lines.push(line);
            body.push(para);
        }
        if block_height(&body) <= zone_bottom - zone_top || scale < 0.6 {
            break body;
        }
        scale *= 0.9;
    };
    // A little more air below than above reads as centred.
    let slack = (zone_bottom - zone_top - block_height(&body)).max(0.0);
    let mut y = zone_top + 0.45 * slack;
    for (i, para) in body.iter_mut().enumerate() {
        if i > 0 {
            y += para.gap;
        }
        para.top = y + CAP * para.size;
        y += para.height();
    }

    let label = clean(face.category);
    let label = (!label.is_empty()).then(|| {
        let tracking = 0.06 * LABEL_MAX;
        let avail = TEXT_W - tracking * label.len() as f32;
        let natural = width(face.category.trim(), true, LABEL_MAX);
        let size = floor_tenth(LABEL_MAX.min(LABEL_MAX * avail / natural));
        let size = size.max(NAME_FLOOR);
        let lines = vec![ellipsize(&label, true, size, avail)];
        Para {
            bold: true,
            size,
            leading: size,
            tracking: 0.06 * size,
            gray: 0.0,
            lines,
            // Centred on the band's capitals.
            top: BADGE_H - BAND_H / 2.0 + CAP * size / 2.0,
            gap: 0.0,
        }
    });

    Layout {
        header,
        body,
        label,
        rule,
    }
}

fn block_height(body: &[Para]) -> f32 {
    body.iter()
        .enumerate()
        .map(|(i, p)| p.height() + if i > 0 { p.gap } else { 0.0 })
        .sum()
}

/// Draws one badge with its bottom-left corner at (`x`, `y`) on the page.
fn draw(face: &Face, x: f32, y: f32, c: &mut Content) {
    let layout = layout(face);
    let (r, g, b) = face.band;
    let band = [
        f32::from(r) / 255.0,
        f32::from(g) / 255.0,
        f32::from(b) / 255.0,
    ];

    c.save_state();
    c.transform([1.0, 0.0, 0.0, 1.0, round(x), round(y)]);

    // Colour band and accent rule.
    c.set_fill_rgb(r3(band[0]), r3(band[1]), r3(band[2]));
    c.rect(0.0, 0.0, round(BADGE_W), round(BAND_H));
    let rule_w = 14.0 * MM;
    c.rect(
        round((BADGE_W - rule_w) / 2.0),
        round(BADGE_H - layout.rule),
        round(rule_w),
        1.2,
    );
    c.fill_nonzero();

    draw_qr(face.token, (round(x), round(y)), c);

    c.begin_text();
    for para in layout.header.iter().chain(&layout.body) {
        c.set_fill_gray(para.gray);
        show(para, c);
    }
    if let Some(label) = &layout.label {
        if light(face.band) {
            c.set_fill_gray(0.0);
        } else {
            c.set_fill_gray(1.0);
        }
        show(label, c);
    }
    c.end_text();
    c.restore_state();
}

/// Sets each line of `para` centred on the badge, inside an open text object.
fn show(para: &Para, c: &mut Content) {
    c.set_font(if para.bold { BOLD } else { REGULAR }, para.size);
    if para.tracking != 0.0 {
        c.set_char_spacing(round(para.tracking));
    }
    for (i, line) in para.lines.iter().enumerate() {
        let left = (BADGE_W - para.line_width(line)) / 2.0;
        let baseline = BADGE_H - para.top - i as f32 * para.leading;
        c.set_text_matrix([1.0, 0.0, 0.0, 1.0, round(left), round(baseline)]);
        c.show(Str(line));
    }
    if para.tracking != 0.0 {
        c.set_char_spacing(0.0);
    }
}

/// The QR code, centred above the band: one path of module runs in a
/// coordinate system of one unit per module, rows counted downwards.
///
/// Module size and position snap to the 300 dpi grid (also 600 and 1200
/// dpi) of the page, so every module prints with the same number of dots;
/// `origin` is where the badge sits on the page.
fn draw_qr(token: &str, origin: (f32, f32), c: &mut Content) {
    const DOT: f32 = 72.0 / 300.0;
    let snap = |v: f32| (v / DOT).round() * DOT;
    let matrix = qr::matrix(token);
    if matrix.width == 0 {
        return;
    }
    let module = snap(QR_SIDE / (matrix.width + 8) as f32).max(DOT);
    let code = module * matrix.width as f32;
    let left = snap(origin.0 + (BADGE_W - code) / 2.0) - origin.0;
    let bottom = BAND_H + QR_GAP + 4.0 * module;
    let top = snap(origin.1 + bottom + code) - origin.1;
    c.save_state();
    c.transform([module, 0.0, 0.0, -module, round(left), round(top)]);
    c.set_fill_gray(0.0);
    for row in 0..matrix.width {
        for (column, run) in matrix.runs(row) {
            c.rect(column as f32, row as f32, run as f32, 1.0);
        }
    }
    c.fill_nonzero();
    c.restore_state();
}

/// Whether black text reads better than white on this colour (WCAG
/// relative luminance above the point where both contrasts are equal).
fn light((r, g, b): (u8, u8, u8)) -> bool {
    fn linear(channel: u8) -> f32 {
        let c = f32::from(channel) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    luminance > 0.179
}

/// Short grey ticks where the sheet is cut, at the page edges and at the
/// centre; they fall on the badge edges, never on text.
fn cut_marks(c: &mut Content) {
    let tick = 6.0 * MM;
    let mid_x = BADGE_W;
    let mid_y = SHEET_Y + BADGE_H;
    c.save_state();
    c.set_stroke_gray(0.55);
    c.set_line_width(0.3);
    for (x0, y0, x1, y1) in [
        (mid_x, A4_H, mid_x, A4_H - tick),
        (mid_x, 0.0, mid_x, tick),
        (0.0, mid_y, tick, mid_y),
        (A4_W, mid_y, A4_W - tick, mid_y),
        (mid_x - 2.0 * MM, mid_y, mid_x + 2.0 * MM, mid_y),
        (mid_x, mid_y - 2.0 * MM, mid_x, mid_y + 2.0 * MM),
    ] {
        c.move_to(round(x0), round(y0));
        c.line_to(round(x1), round(y1));
    }
    c.stroke();
    c.restore_state();
}

/// Two decimals are 1/3600 in: plenty, and keeps the stream short.
fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn r3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face<'a>(first: &'a str, last: &'a str, organisation: &'a str) -> Face<'a> {
        Face {
            first_name: first,
            last_name: last,
            organisation,
            country: "Sénégal",
            category: "PARTICIPANT",
            band: (27, 79, 138),
            event: "14es Rencontres de l'action internationale des collectivités territoriales",
            dates: "18–19 septembre 2023 · Paris",
            token: "RC1ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567\
                    ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFG",
        }
    }

    /// Page objects, not the page tree (`/Type /Pages`).
    fn pages(pdf: &[u8]) -> usize {
        let needle = b"/Type /Page";
        pdf.windows(needle.len() + 1)
            .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
            .count()
    }

    fn is_pdf(pdf: &[u8]) -> bool {
        let end = String::from_utf8_lossy(&pdf[pdf.len() - 8..]);
        pdf.starts_with(b"%PDF-") && end.trim_end().ends_with("%%EOF")
    }

    #[test]
    fn badge_is_one_page_pdf() {
        let pdf = badge(&face("Aminata", "Ndiaye", "Ville de Dakar"));
        assert!(is_pdf(&pdf));
        assert_eq!(pages(&pdf), 1);
        assert!(pdf.windows(15).any(|w| w == b"WinAnsiEncoding"));
    }

    #[test]
    fn sheets_hold_four_badges_a_page() {
        let faces: Vec<Face> = (0..9).map(|_| face("Jean", "Dupont", "Mairie")).collect();
        let pdf = sheets(&faces);
        assert!(is_pdf(&pdf));
        assert_eq!(pages(&pdf), 3);
        assert_eq!(pages(&sheets(&faces[..4])), 1);
        let empty = sheets(&[]);
        assert!(is_pdf(&empty));
        assert_eq!(pages(&empty), 1);
    }

    #[test]
    fn encode_maps_to_win_ansi() {
        assert_eq!(encode("é"), [0xE9]);
        assert_eq!(encode("€"), [0x80]);
        assert_eq!(encode("ł"), b"l");
        assert_eq!(encode("中"), b"?");
        assert_eq!(encode("Ĳssel"), b"IJssel");
        assert_eq!(encode("N’Diaye"), b"N\x92Diaye");
    }

    #[test]
    fn width_is_the_afm_sum() {
        // H 722 + e 556 + l 222 + l 222 + o 556 = 2278 units.
        assert!((width("Hello", false, 10.0) - 22.78).abs() < 1e-4);
        // Bold: 722 + 556 + 278 + 278 + 611 = 2445 units.
        assert!((width("Hello", true, 10.0) - 24.45).abs() < 1e-4);
    }

    #[test]
    fn short_names_keep_the_largest_size() {
        let fit = fit_name(b"NDIAYE", true, LAST_MAX, LAST_WRAP, TEXT_W);
        assert_eq!(fit.size, LAST_MAX);
        assert_eq!(fit.lines.len(), 1);
    }

    #[test]
    fn long_names_shrink_to_fit() {
        let name = clean("RAKOTOARIMANANA-ANDRIANAMPOINIMERINA");
        let fit = fit_name(&name, true, LAST_MAX, LAST_WRAP, TEXT_W);
        assert!(fit.size < LAST_MAX);
        assert!(fit.size >= NAME_FLOOR);
        for line in &fit.lines {
            assert!(measure(line, true, fit.size) <= TEXT_W);
        }
        // Two lines, split after the hyphen, beat one tiny line.
        assert_eq!(fit.lines.len(), 2);
        assert_eq!(fit.lines[0], b"RAKOTOARIMANANA-");
    }

    #[test]
    fn unbreakable_names_shrink_then_cut() {
        let name = clean(&"W".repeat(60));
        let fit = fit_name(&name, true, LAST_MAX, LAST_WRAP, TEXT_W);
        assert_eq!(fit.size, NAME_FLOOR);
        assert_eq!(fit.lines.len(), 1);
        assert_eq!(fit.lines[0].last(), Some(&ELLIPSIS));
        assert!(measure(&fit.lines[0], true, fit.size) <= TEXT_W);

        let name = clean(&"W".repeat(20));
        let fit = fit_name(&name, true, LAST_MAX, LAST_WRAP, TEXT_W);
        assert!(fit.size < LAST_MAX && fit.size > NAME_FLOOR);
        assert!(measure(&fit.lines[0], true, fit.size) <= TEXT_W);
    }

    #[test]
    fn organisation_wraps_to_two_lines_with_ellipsis() {
        let org = clean(
            "Fédération nationale des collectivités territoriales pour la coopération \
             internationale et le développement durable des territoires ruraux et urbains",
        );
        let lines = wrap(&org, false, ORG_SIZE, TEXT_W, 2);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].last(), Some(&ELLIPSIS));
        for line in &lines {
            assert!(measure(line, false, ORG_SIZE) <= TEXT_W);
        }
        assert_eq!(wrap(b"Mairie de Lyon", false, ORG_SIZE, TEXT_W, 2).len(), 1);
    }

    #[test]
    fn body_stays_between_header_and_qr() {
        let f = face(
            "Marie-Christine Alexandrine",
            "de La Rochefoucauld-Montmorency d'Escarpit",
            "Association internationale des maires francophones et des collectivités \
             partenaires pour la solidarité et la coopération décentralisée",
        );
        let layout = layout(&f);
        let first = &layout.body[0];
        let last = layout.body.last().unwrap();
        assert!(first.top - CAP * first.size > layout.rule);
        let bottom = last.top + (last.lines.len() - 1) as f32 * last.leading + DESCENT * last.size;
        assert!(bottom < BADGE_H - BAND_H - QR_GAP - QR_SIDE);
        for para in layout.header.iter().chain(&layout.body) {
            for line in &para.lines {
                assert!(para.line_width(line) <= TEXT_W + 0.01);
            }
        }
    }

    #[test]
    fn label_colour_follows_band_luminance() {
        assert!(light((242, 184, 0)));
        assert!(!light((27, 79, 138)));
        assert!(!light((176, 46, 38)));
        assert!(!light((30, 107, 82)));
    }
}
