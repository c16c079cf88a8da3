//! What the rules need to know of the signer, for the advisor's answers and for the
//! gate before signing.

use std::path::Path;

use crate::record::log::CaseHistory;
use crate::record::model::RecordType;
use crate::rules::ReviewerFacts;

/// What `advise` (and the workbench's advisor) know about the reviewer without the
/// records module: the principal, and whether notices can name the entity's privacy
/// contact.
pub fn for_advice(cases: &Path, principal: Option<&str>) -> ReviewerFacts {
    let contact = crate::case::settings::privacy_contact_known(cases);
    ReviewerFacts {
        principal: principal.map(str::to_string),
        privacy_contact_missing: !contact,
        ..ReviewerFacts::default()
    }
}

/// What the gate knows of the signer: licensed or not (reviewers.yaml), whether this is
/// a review, and who signed this case's earlier records (164.524(a)(4)), from this
/// user's memory of the log (the append checks it again under the lock).
pub fn for_signer(
    setting: &super::Setting,
    principal: &str,
    kind: RecordType,
    case_id: &str,
) -> ReviewerFacts {
    let history = setting
        .state()
        .ok()
        .and_then(|state| crate::record::memory::recall(setting.cases, &state))
        .and_then(|mut idx| idx.cases.remove(case_id));
    for_signer_in(setting.cases, principal, kind, history.as_ref())
}

/// [`for_signer`] with the case's history already read from the log's index.
pub fn for_signer_in(
    cases: &Path,
    principal: &str,
    kind: RecordType,
    history: Option<&CaseHistory>,
) -> ReviewerFacts {
    let contact = crate::case::settings::privacy_contact_known(cases);
    let reviewers = crate::record::reviewers::load(cases).ok();
    let me = reviewers.as_ref().and_then(|r| r.get(principal));
    let participants = history
        .map(|h| h.signers().map(str::to_string).collect())
        .unwrap_or_default();
    ReviewerFacts {
        principal: Some(principal.to_string()),
        name: me.map(|r| r.name.clone()),
        licensed: me.map(|r| r.licensed),
        is_review: kind == RecordType::Review,
        participants,
        privacy_contact_missing: !contact,
    }
}
