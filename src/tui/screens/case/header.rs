//! The case view's header lines (the view draws them, the layout measures them).

use super::CaseView;
use crate::present::words::kind as kind_text;
use crate::tui::fit::{fit, width};
use crate::tui::scroll::{self, Styled};
use crate::tui::theme::Role;

/// The header: id, kind, requester and jurisdiction (the requester is cut, never the
/// jurisdiction); the deadline clock; "decided by X at T" once decided; the title,
/// wrapped on up to two lines.
pub fn header_lines(v: &CaseView, cols: u16) -> Vec<Styled> {
    let cols = cols as usize;
    let fixed = format!(
        "{} · {} · requester  · {}",
        v.id,
        kind_text(v.kind),
        v.jurisdiction
    );
    let room = cols.saturating_sub(width(&fixed)).max(1);
    let first = vec![
        (Role::Title, fit(&v.id, cols)),
        (Role::Muted, " · ".into()),
        (Role::Normal, kind_text(v.kind).into()),
        (Role::Muted, " · requester ".into()),
        (Role::Normal, fit(&v.requester, room)),
        (Role::Muted, " · ".into()),
        (Role::Normal, v.jurisdiction.clone()),
    ];
    let (clock, role) = &v.clock;
    let mut out = vec![first, vec![(*role, fit(clock, cols))]];
    if let Some(d) = &v.decided {
        out.push(vec![(Role::Ok, fit(d, cols))]);
    }
    let mut title = scroll::wrap_line(&[(Role::Header, v.title.clone())], cols.max(1));
    if title.len() > 2 {
        // The rest of the title is in the queue and `casebench show`; cut, with `…`.
        let second: String = title[1].iter().map(|(_, s)| s.as_str()).collect();
        title.truncate(1);
        title.push(vec![(Role::Header, fit(&format!("{second} …"), cols))]);
    }
    out.extend(title);
    out
}
