//! Registration lists as CSV and XLSX, with labels in the organiser's language.

use rust_xlsxwriter::{Format, Workbook};

use super::api::RegistrationOut;
use super::model::{Category, Civility, Function, OrganisationType, Status};
use crate::error::AppError;
use crate::i18n::Lang;

/// Column titles, in order.
fn header(lang: Lang) -> Vec<&'static str> {
    [
        "export_col_status",
        "export_col_category",
        "export_col_civility",
        "export_col_first_name",
        "export_col_last_name",
        "export_col_email",
        "export_col_function",
        "export_col_organisation",
        "export_col_organisation_type",
        "export_col_country",
        "export_col_cuf_member",
        "export_col_days",
        "export_col_lunch",
        "export_col_accessibility",
        "export_col_sessions",
        "export_col_language",
        "export_col_photos",
        "export_col_source",
        "export_col_invited",
        "export_col_registered_at",
        "export_col_id",
    ]
    .iter()
    .map(|k| lang.t(k))
    .collect()
}

fn row(r: &RegistrationOut, lang: Lang) -> Vec<String> {
    let yes_no = |b: bool| lang.t(if b { "yes" } else { "no" }).to_string();
    let label = |s: Option<&'static str>, raw: &str| s.unwrap_or(raw).to_string();
    vec![
        label(Status::parse(&r.status).map(|s| s.label(lang)), &r.status),
        label(
            Category::parse(&r.category).map(|s| s.label(lang)),
            &r.category,
        ),
        label(
            Civility::parse(&r.civility).map(|s| s.label(lang)),
            &r.civility,
        ),
        r.first_name.clone(),
        r.last_name.clone(),
        r.email.clone(),
        label(
            Function::parse(&r.function).map(|s| s.label(lang)),
            &r.function,
        ),
        r.organisation.clone(),
        label(
            OrganisationType::parse(&r.organisation_type).map(|s| s.label(lang)),
            &r.organisation_type,
        ),
        crate::countries::find(&r.country)
            .map(|c| c.name(lang).to_string())
            .unwrap_or_else(|| r.country.clone()),
        yes_no(r.cuf_member),
        r.days
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        yes_no(r.lunch),
        r.accessibility.clone(),
        r.sessions
            .iter()
            .map(|c| format!("{} ({})", c.key, c.status.code()))
            .collect::<Vec<_>>()
            .join(" "),
        r.lang.clone(),
        yes_no(r.consent_photo),
        r.source.clone(),
        yes_no(r.invited),
        r.created_at.format("%Y-%m-%d %H:%M").to_string(),
        r.id.clone(),
    ]
}

/// A cell a spreadsheet would read as a formula gets a leading quote: registrants type
/// these values, and a cell like `=HYPERLINK(…)` must stay text.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn csv_field(out: &mut String, cell: &str) {
    let cell = defuse(cell);
    if cell.contains([',', ';', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&cell);
    }
}

/// CSV in UTF-8 with a byte-order mark, so that spreadsheet programs read the accents.
pub fn csv(rows: &[RegistrationOut], lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let mut line = |cells: Vec<String>| {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, c);
        }
        out.push_str("\r\n");
    };
    line(header(lang).into_iter().map(String::from).collect());
    for r in rows {
        line(row(r, lang));
    }
    out
}

/// An XLSX workbook with one sheet, a bold frozen header and a filter on every column.
pub fn xlsx(rows: &[RegistrationOut], lang: Lang) -> Result<Vec<u8>, AppError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(lang.t("export_sheet"))
        .map_err(AppError::internal)?;
    let bold = Format::new().set_bold();
    let head = header(lang);
    for (c, title) in head.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *title, &bold)
            .map_err(AppError::internal)?;
    }
    for (r, reg) in rows.iter().enumerate() {
        for (c, cell) in row(reg, lang).iter().enumerate() {
            // Strings are written as strings: the workbook never evaluates what people typed.
            sheet
                .write_string(r as u32 + 1, c as u16, cell)
                .map_err(AppError::internal)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(AppError::internal)?;
    sheet
        .autofilter(0, 0, rows.len() as u32, head.len() as u16 - 1)
        .map_err(AppError::internal)?;
    for (c, width) in [12, 14, 10, 16, 18, 28, 22, 30, 26, 16].iter().enumerate() {
        sheet
            .set_column_width(c as u16, *width)
            .map_err(AppError::internal)?;
    }
    book.save_to_buffer().map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_escaped() {
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("-x"), "'-x");
        assert_eq!(defuse("Dakar"), "Dakar");
        let mut s = String::new();
        csv_field(&mut s, "Ville de \"Paris\", France");
        assert_eq!(s, "\"Ville de \"\"Paris\"\", France\"");
    }
}
