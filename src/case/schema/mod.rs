//! The case file's schema as data (issue 22): every mapping, its keys in file order,
//! which are required, and what each holds. `check` walks a file's tree against it and
//! reports every problem in one run, in the case file's own words, at its line and
//! column ([`walk`]).
//!
//! The typed model (`model.rs` and its neighbours) stays the one that reads a file; the
//! unit tests below hold this table to it: the same keys in the same order, the same
//! required keys, the same allowed values (each read back from serde's own errors).

pub mod walk;

/// What a key holds.
#[derive(Debug)]
pub enum Ty {
    /// One scalar, read as text.
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// A whole number, 0 or more.
    Int,
    /// A number, e.g. `12.50`.
    Number,
    /// `true` or `false`.
    Bool,
    /// `true`, `false` or `unknown`.
    Answer,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A mapping of these keys.
    Map(&'static Shape),
    /// A list of these.
    List(&'static Ty),
    /// A mapping from any key to text (a practice reference's `withhold`).
    TextMap,
    /// An authorization's expiry: a date, or `{ event: TEXT }`.
    Expiry,
    /// `harm_evaluation:` (its required keys depend on `status`).
    Evaluation,
}

/// One key of a mapping.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub ty: Ty,
    pub required: bool,
}

/// A mapping: its name in messages and its keys, in the order the model declares them.
#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    pub fields: &'static [Field],
}

impl Shape {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The keys, as a message lists them.
    pub fn keys(&self) -> String {
        self.fields
            .iter()
            .map(|f| f.key)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const fn req(key: &'static str, ty: Ty) -> Field {
    Field {
        key,
        ty,
        required: true,
    }
}

const fn opt(key: &'static str, ty: Ty) -> Field {
    Field {
        key,
        ty,
        required: false,
    }
}

pub const KINDS: &[&str] = &["access_request", "disclosure_concern"];
pub const RELATIONSHIPS: &[&str] = &[
    "self",
    "personal_representative",
    "parent",
    "executor",
    "attorney",
    "insurer",
    "family",
    "employer",
    "provider",
    "business_associate",
    "qualified_service_organization",
    "court",
    "law_enforcement",
    "government_agency",
    "other",
];
pub const INSTRUMENTS: &[&str] = &[
    "none",
    "written_request",
    "authorization",
    "patient_direction",
    "court_order",
    "subpoena",
    "warrant",
    "administrative_request",
    "statute",
];
/// The record categories: the model's one list.
pub use crate::case::model::CATEGORIES;
pub const CONCERNS: &[&str] = &[
    "threat_to_others",
    "threat_to_self",
    "child_abuse",
    "elder_abuse",
    "vulnerable_adult_abuse",
    "court_order",
    "law_enforcement_request",
    "treatment",
    "business_associate",
    "medical_emergency",
    "required_by_law",
];
pub const RECIPIENTS: &[&str] = &[
    "provider",
    "medical_personnel",
    "business_associate",
    "qualified_service_organization",
    "government_agency",
    "law_enforcement",
    "family",
    "victim",
    "other",
];
pub const PURPOSES: &[&str] = &[
    "treatment",
    "proceeding",
    "investigate_or_prosecute_patient",
    "investigate_program",
    "medical_emergency",
    "other",
];
pub const FORMS: &[&str] = &["paper_copy", "electronic_copy", "inspection", "summary"];
pub const FEE_METHODS: &[&str] = &["actual", "average", "flat"];
pub const FEE_ITEMS: &[&str] = &[
    "copying_labor",
    "supplies",
    "postage",
    "summary",
    "search_and_retrieval",
    "other",
];
pub const PART2_ORDERS: &[&str] = &["2.64", "2.65", "2.66", "2.67"];
pub const PART2_CONSENTS: &[&str] = &["tpo", "other", "none"];
pub const BELIEFS: &[&str] = &["abuse", "neglect", "domestic_violence", "endangerment"];
pub const CHANNELS: &[&str] = &[
    "mail",
    "fax",
    "email",
    "portal",
    "in_person",
    "phone",
    "courier",
    "other",
];
pub const IDENTITY_METHODS: &[&str] = &[
    "photo_id",
    "portal_account",
    "callback",
    "notarized_signature",
    "known_in_person",
    "other",
];
pub const AUTHORITY_DOCUMENTS: &[&str] = &[
    "power_of_attorney",
    "guardianship_order",
    "custody_order",
    "birth_certificate",
    "letters_of_administration",
    "court_appointment",
    "other",
];
pub const DELIVERY_METHODS: &[&str] = &["mail", "email", "portal", "pickup", "fax", "other"];
pub const STATUSES: &[&str] = &["pending", "done"];
pub const AT_RISK: &[&str] = &["patient", "other_person", "both", "none"];
pub const HARM_TYPES: &[&str] = &[
    "life_or_physical_safety",
    "substantial_harm",
    "emotional_distress",
    "none",
];
pub const LIKELIHOOD: &[&str] = &["remote", "possible", "reasonably_likely", "near_certain"];
pub const IMMINENCE: &[&str] = &["none", "weeks", "days", "immediate"];
pub const ROLES: &[&str] = &[
    "supervisor",
    "colleague",
    "legal_counsel",
    "privacy_officer",
    "ethics_committee",
    "psychiatrist",
    "other",
];
pub const RECOMMENDATIONS: &[&str] = &[
    "none",
    "release_full",
    "release_partial",
    "deny",
    "request_information",
    "warn_and_protect",
    "report",
    "maintain_confidentiality",
];
pub const OUTCOMES: &[&str] = &[
    "release_full",
    "release_partial",
    "deny",
    "request_information",
    "warn_and_protect",
    "report",
    "maintain_confidentiality",
];
pub const DOCUMENT_KINDS: &[&str] = &[
    "request",
    "authorization",
    "court_order",
    "subpoena",
    "assessment",
    "correspondence",
    "extension_notice",
    "policy",
    "note",
    "other",
];

pub static CASE: Shape = Shape {
    name: "the case",
    fields: &[
        req("id", Ty::Text),
        req("title", Ty::Text),
        req("kind", Ty::Choice(KINDS)),
        req("received", Ty::Date),
        req("jurisdiction", Ty::Text),
        opt("arrival", Ty::Map(&ARRIVAL)),
        opt("follows", Ty::Text),
        opt("entity", Ty::Map(&ENTITY)),
        req("patient", Ty::Map(&PATIENT)),
        opt("request", Ty::Map(&REQUEST)),
        opt("concern", Ty::Map(&CONCERN)),
        req("harm_evaluation", Ty::Evaluation),
        opt("consultations", Ty::List(&Ty::Map(&CONSULTATION))),
        opt("documentation", Ty::List(&Ty::Map(&DOCUMENT))),
        opt("practice", Ty::Map(&PRACTICE)),
    ],
};

pub static ARRIVAL: Shape = Shape {
    name: "arrival",
    fields: &[
        opt("on", Ty::Date),
        opt("time", Ty::Text),
        req("channel", Ty::Choice(CHANNELS)),
        opt("logged_by", Ty::Text),
    ],
};

pub static ENTITY: Shape = Shape {
    name: "entity",
    fields: &[
        opt("name", Ty::Text),
        opt("federal_agency", Ty::Bool),
        opt("correctional", Ty::Bool),
        opt("part2_program", Ty::Bool),
    ],
};

pub static PATIENT: Shape = Shape {
    name: "patient",
    fields: &[
        req("ref", Ty::Text),
        req("age", Ty::Int),
        opt("emancipated", Ty::Answer),
        opt("incarcerated", Ty::Answer),
        opt("research_suspension_agreed", Ty::Answer),
        opt("date_of_death", Ty::Date),
        opt("objected_to_family_disclosure", Ty::Answer),
    ],
};

pub static REQUEST: Shape = Shape {
    name: "request",
    fields: &[
        req("requester", Ty::Map(&REQUESTER)),
        req("instrument", Ty::Map(&INSTRUMENT)),
        req("records", Ty::List(&Ty::Map(&RECORD))),
        opt("extension", Ty::Map(&EXTENSION)),
        opt("purpose", Ty::Choice(PURPOSES)),
        opt("patient_objects", Ty::Answer),
        opt("form", Ty::Map(&FORM)),
        opt("fee", Ty::Map(&FEE)),
        opt("planned_release", Ty::Map(&PLANNED_RELEASE)),
        opt("infeasible", Ty::Map(&INFEASIBLE)),
        opt("delivery", Ty::Map(&DELIVERY)),
        opt("urgency", Ty::Map(&URGENCY)),
    ],
};

pub static REQUESTER: Shape = Shape {
    name: "requester",
    fields: &[
        req("name", Ty::Text),
        req("relationship", Ty::Choice(RELATIONSHIPS)),
        opt("identity_verified", Ty::Answer),
        opt("identity_check", Ty::Map(&IDENTITY_CHECK)),
        opt("authority", Ty::Map(&AUTHORITY)),
        opt("address", Ty::Text),
        opt("involved_in_care", Ty::Answer),
        opt("endangerment", Ty::Map(&ENDANGERMENT)),
        opt("agreement", Ty::Answer),
    ],
};

pub static IDENTITY_CHECK: Shape = Shape {
    name: "identity_check",
    fields: &[
        req("method", Ty::Choice(IDENTITY_METHODS)),
        req("by", Ty::Text),
        opt("on", Ty::Date),
    ],
};

pub static AUTHORITY: Shape = Shape {
    name: "authority",
    fields: &[
        req("document", Ty::Choice(AUTHORITY_DOCUMENTS)),
        opt("shown", Ty::Answer),
        opt("note", Ty::Text),
    ],
};

pub static ENDANGERMENT: Shape = Shape {
    name: "endangerment",
    fields: &[
        req("belief", Ty::Choice(BELIEFS)),
        req("documented_on", Ty::Date),
        req("documented_by", Ty::Text),
        opt("not_in_best_interest", Ty::Bool),
    ],
};

pub static INSTRUMENT: Shape = Shape {
    name: "instrument",
    fields: &[
        req("type", Ty::Choice(INSTRUMENTS)),
        opt("signed", Ty::Answer),
        opt("dated", Ty::Date),
        opt("expires", Ty::Expiry),
        opt("judge_signed", Ty::Answer),
        opt("patient_notified", Ty::Answer),
        opt("protective_order", Ty::Answer),
        opt("covers_psychotherapy_notes", Ty::Answer),
        opt("part2_court_order", Ty::Answer),
        opt("part2_order", Ty::Choice(PART2_ORDERS)),
        opt("covers_sud_counseling_notes", Ty::Answer),
        opt("covers", Ty::List(&Ty::Text)),
        opt("scope", Ty::Text),
        opt("return_date", Ty::Date),
    ],
};

pub static EXPIRY_EVENT: Shape = Shape {
    name: "expires",
    fields: &[req("event", Ty::Text)],
};

pub static RECORD: Shape = Shape {
    name: "record item",
    fields: &[
        req("id", Ty::Text),
        req("description", Ty::Text),
        req("category", Ty::Choice(CATEGORIES)),
        opt("kept_separately", Ty::Answer),
        opt("minor_consented_alone", Ty::Answer),
        opt("court_ordered_care", Ty::Answer),
        opt("parent_agreed_confidentiality", Ty::Answer),
        opt("received_from_part2", Ty::Map(&PART2_SOURCE)),
    ],
};

pub static PART2_SOURCE: Shape = Shape {
    name: "received_from_part2",
    fields: &[
        req("program", Ty::Text),
        req("consent", Ty::Choice(PART2_CONSENTS)),
        opt("received_on", Ty::Date),
    ],
};

pub static EXTENSION: Shape = Shape {
    name: "extension",
    fields: &[
        req("notice_sent", Ty::Date),
        req("new_due", Ty::Date),
        opt("reason", Ty::Text),
    ],
};

pub static FORM: Shape = Shape {
    name: "form",
    fields: &[
        req("requested", Ty::Choice(FORMS)),
        opt("format", Ty::Text),
        opt("readily_producible", Ty::Bool),
        opt("maintained_electronically", Ty::Bool),
        opt("offered", Ty::Choice(FORMS)),
        opt("summary_agreed", Ty::Bool),
    ],
};

pub static FEE: Shape = Shape {
    name: "fee",
    fields: &[
        req("method", Ty::Choice(FEE_METHODS)),
        opt("told_in_advance", Ty::Bool),
        req("items", Ty::List(&Ty::Map(&FEE_ITEM))),
    ],
};

pub static FEE_ITEM: Shape = Shape {
    name: "fee item",
    fields: &[
        req("item", Ty::Choice(FEE_ITEMS)),
        req("amount", Ty::Number),
        opt("description", Ty::Text),
    ],
};

pub static PLANNED_RELEASE: Shape = Shape {
    name: "planned_release",
    fields: &[
        req("on", Ty::Date),
        opt("records", Ty::List(&Ty::Text)),
        opt("reason", Ty::Text),
    ],
};

pub static INFEASIBLE: Shape = Shape {
    name: "infeasible",
    fields: &[req("reason", Ty::Text), opt("reply_sent", Ty::Date)],
};

pub static DELIVERY: Shape = Shape {
    name: "delivery",
    fields: &[
        req("method", Ty::Choice(DELIVERY_METHODS)),
        opt("address", Ty::Text),
        opt("certified", Ty::Bool),
        opt("sealed", Ty::Bool),
    ],
};

pub static URGENCY: Shape = Shape {
    name: "urgency",
    fields: &[opt("needed_by", Ty::Date), opt("reason", Ty::Text)],
};

pub static CONCERN: Shape = Shape {
    name: "concern",
    fields: &[
        req("type", Ty::Choice(CONCERNS)),
        req("statement", Ty::Text),
        opt("identifiable_victim", Ty::Answer),
        opt("means", Ty::Answer),
        opt("imminent", Ty::Answer),
        opt("patient_agrees_to_report", Ty::Answer),
        opt("recipient", Ty::Choice(RECIPIENTS)),
        opt("part2_records", Ty::Answer),
        opt("part2_consent", Ty::Answer),
        opt("agreement", Ty::Answer),
    ],
};

/// `harm_evaluation:`. Every key is optional here; [`walk`] requires `assigned_to` of a
/// pending evaluation and [`DONE_REQUIRED`] of a finished one.
pub static EVALUATION: Shape = Shape {
    name: "harm_evaluation",
    fields: &[
        opt("status", Ty::Choice(STATUSES)),
        opt("assigned_to", Ty::Text),
        opt("assigned_on", Ty::Date),
        opt("assessed_by", Ty::Map(&ASSESSOR)),
        opt("assessed_on", Ty::Date),
        opt("at_risk", Ty::Choice(AT_RISK)),
        opt("harm_type", Ty::Choice(HARM_TYPES)),
        opt("likelihood", Ty::Choice(LIKELIHOOD)),
        opt("imminence", Ty::Choice(IMMINENCE)),
        opt("records", Ty::List(&Ty::Text)),
        opt("factors", Ty::List(&Ty::Text)),
        opt("summary", Ty::Text),
    ],
};

/// The keys a finished evaluation requires.
pub const DONE_REQUIRED: &[&str] = &[
    "assessed_by",
    "assessed_on",
    "at_risk",
    "harm_type",
    "likelihood",
    "imminence",
];

pub static ASSESSOR: Shape = Shape {
    name: "assessed_by",
    fields: &[
        req("name", Ty::Text),
        opt("credential", Ty::Text),
        opt("licensed", Ty::Answer),
        opt("treating", Ty::Answer),
    ],
};

pub static CONSULTATION: Shape = Shape {
    name: "consultation",
    fields: &[
        req("with", Ty::Map(&CONSULTANT)),
        req("on", Ty::Date),
        opt("recommendation", Ty::Choice(RECOMMENDATIONS)),
        opt("summary", Ty::Text),
    ],
};

pub static CONSULTANT: Shape = Shape {
    name: "with",
    fields: &[req("name", Ty::Text), req("role", Ty::Choice(ROLES))],
};

pub static DOCUMENT: Shape = Shape {
    name: "document",
    fields: &[
        req("title", Ty::Text),
        req("kind", Ty::Choice(DOCUMENT_KINDS)),
        opt("dated", Ty::Date),
        opt("file", Ty::Text),
        opt("summary", Ty::Text),
    ],
};

pub static PRACTICE: Shape = Shape {
    name: "practice",
    fields: &[req("reference", Ty::Map(&REFERENCE))],
};

pub static REFERENCE: Shape = Shape {
    name: "reference",
    fields: &[
        req("outcome", Ty::Choice(OUTCOMES)),
        opt("grounds", Ty::List(&Ty::Text)),
        opt("withhold", Ty::TextMap),
        opt("explanation", Ty::Text),
    ],
};

#[cfg(test)]
mod tests;
