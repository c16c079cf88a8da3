#!/usr/bin/env python3
"""Independent validation of casebench's FHIR export (tests/it/audit_fhir.rs runs it).

1. The whole Bundle is parsed by the `fhir.resources` 6.4.0 models, which are generated
   from the FHIR R4 (4.0.1) specification: every element name, type and cardinality of
   Bundle, AuditEvent, Provenance and Binary is checked there, not by casebench.
2. Each AuditEvent that claims the IHE BALP "Privacy Disclosure at Source" profile is
   checked against that profile's constraints (IHE ITI BALP 1.1.x, Disclose.fsh), each
   written here as a FHIRPath expression evaluated by `fhirpathpy`: fixed type and
   action, the `disclose` subtype, the source/recipient/custodian/authorizer agent
   slices with their required `who` and `network`, the val-audit-source invariant, the
   patient entity slice, and AuditEvent's own sev-1 invariant.
3. Each Provenance must carry a signature with data and format, and target a Binary of
   the Bundle; the Binary's bytes and the signature are written to OUT_DIR as
   <n>.yaml and <n>.yaml.sig (with the signer's principal in <n>.principal) so that the
   test can check them with `ssh-keygen -Y verify`.

Usage: validate_bundle.py BUNDLE.json OUT_DIR
Prints one JSON line with counts; exits 1 with the list of failures.
"""
import base64
import json
import os
import sys

from fhir.resources.bundle import Bundle
from fhirpathpy import evaluate

BALP_SOURCE = ("https://profiles.ihe.net/ITI/BALP/StructureDefinition/"
               "IHE.BasicAudit.PrivacyDisclosure.Source")
DCM = "http://dicom.nema.org/resources/ontology/DCM"
SCT = "http://snomed.info/sct"


def slice_of(system, code):
    return f"agent.where(type.coding.where(system = '{system}' and code = '{code}').exists())"


SOURCE = slice_of(DCM, "110153")
RECIPIENT = slice_of(DCM, "110152")
CUSTODIAN = slice_of(SCT, "159541003")
AUTHORIZER = slice_of(SCT, "429577009")
PATIENT = ("entity.where(type.system = 'http://terminology.hl7.org/CodeSystem/audit-entity-type'"
           " and type.code = '1' and role.system = "
           "'http://terminology.hl7.org/CodeSystem/object-role' and role.code = '1')")

# (what the profile says, FHIRPath that must be true)
BALP_RULES = [
    ("modifierExtension 0..0", "modifierExtension.empty()"),
    ("type = DCM#110106", f"type.system = '{DCM}' and type.code = '110106'"),
    ("action = #R", "action = 'R'"),
    ("subtype contains iso-21089-lifecycle#disclose",
     "subtype.where(system = 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle'"
     " and code = 'disclose').exists()"),
    ("recorded 1..1", "recorded.exists()"),
    ("outcome 1..1", "outcome.exists()"),
    ("agent 2..*", "agent.count() >= 2"),
    ("agent[source] 1..1", f"{SOURCE}.count() = 1"),
    ("agent[source].who 1..1", f"{SOURCE}.all(who.exists())"),
    ("agent[source].network 1..1", f"{SOURCE}.all(network.exists())"),
    ("agent[source] obeys val-audit-source",
     f"{SOURCE}.all(who = %resource.source.observer)"),
    ("agent[recipient] 1..1", f"{RECIPIENT}.count() = 1"),
    ("agent[recipient].who 1..1", f"{RECIPIENT}.all(who.exists())"),
    ("agent[recipient].network 1..1", f"{RECIPIENT}.all(network.exists())"),
    ("agent[custodian] 0..1, who 1..1", f"{CUSTODIAN}.count() <= 1 and {CUSTODIAN}.all(who.exists())"),
    ("agent[authorizer] 0..1, who 1..1", f"{AUTHORIZER}.count() <= 1 and {AUTHORIZER}.all(who.exists())"),
    ("every agent has requestor (R4 1..1)", "agent.all(requestor.exists())"),
    ("source.observer 1..1 (R4)", "source.observer.exists()"),
    ("entity 2..*", "entity.count() >= 2"),
    ("entity[patient] 1..1", f"{PATIENT}.count() = 1"),
    ("entity[patient].what 1..1", f"{PATIENT}.all(what.exists())"),
    ("entity[patient].what only Reference(Patient)",
     f"{PATIENT}.all(what.type = 'Patient' or what.reference.startsWith('Patient/'))"),
    ("sev-1: entity has name or query, not both", "entity.all(name.empty() or query.empty())"),
]


def check_balp(ae):
    failures = []
    for what, expr in BALP_RULES:
        result = evaluate(ae, expr, {"resource": ae})
        if result != [True]:
            failures.append(f"AuditEvent {ae.get('id')}: {what}: `{expr}` gave {result}")
    return failures


def main():
    bundle_path, out_dir = sys.argv[1], sys.argv[2]
    with open(bundle_path, encoding="utf-8") as f:
        data = json.load(f)
    failures = []
    try:
        Bundle.parse_obj(data)
    except Exception as e:  # pydantic's ValidationError names every element at fault
        failures.append(f"not a valid FHIR R4 Bundle: {e}")
    entries = data.get("entry", [])
    full_urls = [e.get("fullUrl") for e in entries]
    if len(set(full_urls)) != len(full_urls):
        failures.append("bdl-7: fullUrl values are not unique")
    by_url = {e.get("fullUrl"): e.get("resource", {}) for e in entries}
    counts = {"AuditEvent": 0, "Provenance": 0, "Binary": 0, "signatures": 0}
    os.makedirs(out_dir, exist_ok=True)
    for e in entries:
        r = e.get("resource", {})
        kind = r.get("resourceType")
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "AuditEvent":
            if BALP_SOURCE not in r.get("meta", {}).get("profile", []):
                failures.append(f"AuditEvent {r.get('id')}: does not claim the BALP profile")
            failures.extend(check_balp(r))
        elif kind == "Provenance":
            sigs = r.get("signature", [])
            if not sigs or not all(s.get("data") and s.get("sigFormat") for s in sigs):
                failures.append(f"Provenance {r.get('id')}: no signature data")
                continue
            targets = [t.get("reference") for t in r.get("target", [])]
            binaries = [by_url.get(t) for t in targets if by_url.get(t, {}).get("resourceType") == "Binary"]
            if len(binaries) != 1:
                failures.append(f"Provenance {r.get('id')}: does not target one Binary of the bundle")
                continue
            n = counts["signatures"]
            counts["signatures"] += 1
            principal = sigs[0].get("who", {}).get("identifier", {}).get("value", "")
            with open(os.path.join(out_dir, f"{n}.yaml"), "wb") as f:
                f.write(base64.b64decode(binaries[0]["data"]))
            with open(os.path.join(out_dir, f"{n}.yaml.sig"), "wb") as f:
                f.write(base64.b64decode(sigs[0]["data"]))
            with open(os.path.join(out_dir, f"{n}.principal"), "w", encoding="utf-8") as f:
                f.write(principal)
    print(json.dumps(counts))
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
