"""`--mix salesforce-org`: one large Salesforce org in SFDX source format, shaped like the
real public orgs whose scans used the most memory: about a hundred very large profiles
(every object, thousands of fields and classes listed), hundreds of permission sets,
thousands of Apex classes (read first and kept for the whole scan), custom objects with
one file per field, a few sites with their guest profiles, networks and sharing rules.

Shares of N files (N = 17000 gives about 100 profiles of about 17,000 lines each):

  profiles            N/170, of which one per site is a guest profile (Guest User License)
  permission sets     N/50
  sites, networks,    N/3400 each (at least one), with the Aura experience config
    experiences
  sharing rules       N/400 objects
  custom objects      N/60, each `<Obj>.object-meta.xml`
  Apex classes        a third of N, each `.cls` with its `.cls-meta.xml`; about one in
                      six `without sharing`, one in four `@isTest`
  fields              the rest, `objects/<Obj>/fields/<F>.field-meta.xml`

Every file comes from its own random.Random (generate.file_rng), so the tree depends only
on N and the seed. `--bytes` does not apply: the sizes are those of real orgs.
"""

import generate as g

SRC = "force-app/main/default/"
PROFILE_LINES = 17000
FIELD_TYPES = [("Text", 5), ("Number", 2), ("Checkbox", 2), ("Picklist", 2), ("Date", 1),
               ("Email", 1), ("Phone", 1), ("Currency", 1), ("LongTextArea", 1), ("Lookup", 1)]


def org_layout(n, seed):
    """Names of everything in the org: objects, fields, classes, sites, profiles."""
    n_profiles = max(2, n // 170)
    n_sites = max(1, n // 3400)
    n_permsets = max(1, n // 50)
    n_sharing = max(1, n // 400)
    n_objects = max(2, n // 60)
    n_classes = max(2, n // 6)
    fixed = n_profiles + n_permsets + 3 * n_sites + n_sharing + n_objects + 2 * n_classes
    n_fields = max(0, n - fixed)
    rng = g.file_rng(seed, "org-layout", 0)
    objects = list(g.STANDARD_OBJECTS[:min(len(g.STANDARD_OBJECTS), n_objects // 2)])
    i = 0
    while len(objects) < n_objects:
        stem = g.CUSTOM_STEMS[i % len(g.CUSTOM_STEMS)]
        objects.append("%s_%d__c" % (stem, i // len(g.CUSTOM_STEMS)) if i >= len(g.CUSTOM_STEMS)
                       else stem + "__c")
        i += 1
    fields = []  # (object, field API name, type)
    for k in range(n_fields):
        obj = objects[k % len(objects)]
        stem = g.FIELD_STEMS[(k // len(objects)) % len(g.FIELD_STEMS)]
        rounds = k // (len(objects) * len(g.FIELD_STEMS))
        name = "%s%s__c" % (stem, "_%d" % rounds if rounds else "")
        kind = rng.choices([t for t, _ in FIELD_TYPES], [w for _, w in FIELD_TYPES])[0]
        if "Email" in stem:
            kind = "Email"
        elif "Phone" in stem:
            kind = "Phone"
        fields.append((obj, name, kind))
    classes = []  # (name, sharing or None, is_test)
    for k in range(n_classes):
        crng = g.file_rng(seed, "org-class-name", k)
        name = g.pascal(crng.choice(g.CUSTOM_STEMS)) + crng.choice(g.CLASS_SUFFIXES) + "%05d" % k
        test = crng.random() < 0.25
        sharing = None if test else crng.choice(["with", "with", "with", "inherited", None, "without"])
        classes.append((name, sharing, test))
    sites = ["%s_%d" % (g.SITE_STEMS[s % len(g.SITE_STEMS)], s) for s in range(n_sites)]
    profiles = ["%s Profile" % s.replace("_", " ") for s in sites]
    for k in range(n_profiles - len(sites)):
        prng = g.file_rng(seed, "org-profile-name", k)
        profiles.append("%s %03d" % (prng.choice(g.PROFILE_ROLES), k))
    return {"objects": objects, "fields": fields, "classes": classes, "sites": sites,
            "profiles": profiles, "n_permsets": n_permsets, "n_sharing": n_sharing}


def big_profile(rng, layout, guest, violation):
    """A profile as the Metadata API retrieves it from a large org: every object and
    many fields and classes listed, about PROFILE_LINES lines, elements in sorted order."""
    target = int(PROFILE_LINES * rng.uniform(0.85, 1.15))
    parts = {"applicationVisibilities": [], "classAccesses": [], "fieldPermissions": [],
             "layoutAssignments": [], "objectPermissions": [], "tabVisibilities": [],
             "userPermissions": []}
    for app in g.APPS:
        parts["applicationVisibilities"].append(g.sf_element("applicationVisibilities", [
            ("application", app), ("default", "false"), ("visible", g.b(rng.random() < 0.5))]))
    for name, _, _ in layout["classes"][:int(len(layout["classes"]) * 0.4)]:
        parts["classAccesses"].append(g.sf_element("classAccesses", [
            ("apexClass", name), ("enabled", g.b(rng.random() < (0.3 if guest else 0.7)))]))
    viewing = rng.randrange(len(layout["objects"])) if violation else -1
    for i, obj in enumerate(layout["objects"]):
        parts["layoutAssignments"].append(g.sf_element("layoutAssignments", [
            ("layout", "%s-%s Layout" % (obj, obj.replace("__c", "").replace("_", " ")))]))
        parts["objectPermissions"].append(g.object_permission(rng, obj, guest, i == viewing))
        parts["tabVisibilities"].append(g.sf_element("tabVisibilities", [
            ("tab", obj if obj.endswith("__c") else "standard-" + obj),
            ("visibility", rng.choice(["DefaultOn", "DefaultOff", "Hidden"]))]))
    for p in (g.GUEST_USER_PERMISSIONS if guest else g.USER_PERMISSIONS):
        parts["userPermissions"].append(g.sf_element("userPermissions", [
            ("enabled", "true"), ("name", p)]))
    lines = sum(t.count("\n") for cat in parts.values() for t in cat) + 6
    for obj, field, _ in layout["fields"]:
        if lines >= target:
            break
        # Guest profiles list most fields unreadable, as Salesforce retrieves them.
        readable = rng.random() < (0.1 if guest else 0.9)
        parts["fieldPermissions"].append(g.sf_element("fieldPermissions", [
            ("editable", g.b(readable and not guest and rng.random() < 0.5)),
            ("field", "%s.%s" % (obj, field)), ("readable", g.b(readable))]))
        lines += 5
    out = [g.XML_DECL, '<Profile xmlns="%s">\n' % g.NS]
    simple = {"custom": "    <custom>%s</custom>\n" % g.b(guest),
              "userLicense": "    <userLicense>%s</userLicense>\n"
                             % ("Guest User License" if guest else "Salesforce")}
    for tag in sorted(set(parts) | set(simple)):
        out.append(simple.get(tag) or "".join(sorted(parts[tag])))
    out.append("</Profile>\n")
    return "".join(out)


def test_class(rng, name):
    """An `@isTest` class: no site guest can run it, whatever its sharing."""
    methods = []
    for m in range(rng.randint(2, 12)):
        methods += ["    @isTest",
                    "    static void %s%d() {" % (rng.choice(["creates", "updates", "rejects"]), m),
                    "        Account a = new Account(Name = 'Test %d');" % m,
                    "        insert a;",
                    "        System.assertNotEquals(null, a.Id, '%s');" % g.sentence(rng, 3, 8),
                    "    }", ""]
    return "\n".join(["@isTest", "private class %s {" % name] + methods + ["}"]) + "\n"


def custom_object(rng, obj):
    label = obj.replace("__c", "").replace("_", " ")
    return (g.XML_DECL + '<CustomObject xmlns="%s">\n' % g.NS
            + "    <deploymentStatus>Deployed</deploymentStatus>\n"
            + "    <description>%s</description>\n" % g.xml_escape(g.sentence(rng))
            + "    <label>%s</label>\n" % label
            + "    <nameField>\n        <label>%s Name</label>\n        <type>Text</type>\n"
              "    </nameField>\n" % label
            + "    <pluralLabel>%ss</pluralLabel>\n" % label
            + "    <sharingModel>%s</sharingModel>\n" % rng.choice(["Private", "Read", "ReadWrite"])
            + "</CustomObject>\n")


def custom_field(rng, obj, field, kind):
    el = [("fullName", field), ("externalId", "false"),
          ("label", field.replace("__c", "").replace("_", " ")), ("required", "false")]
    if kind in ("Text", "Email", "Phone"):
        el.append(("length", "80") if kind == "Text" else ("unique", "false"))
    if kind in ("Email", "Phone") or rng.random() < 0.05:
        el.append(("complianceGroup", rng.choice(["PII", "GDPR", "PII;GDPR"])))
        el.append(("securityClassification", "Confidential"))
    if kind == "Lookup":
        el += [("referenceTo", "Account"), ("relationshipName", field.replace("__c", "s"))]
    el.append(("type", kind))
    out = [g.XML_DECL, '<CustomField xmlns="%s">\n' % g.NS]
    out += ["    <%s>%s</%s>\n" % (k, v, k) for k, v in el]
    out.append("</CustomField>\n")
    return "".join(out)


def plan(n, seed):
    """[(relative path, kind, index, make(rng) -> str)], exactly n of them."""
    layout = org_layout(n, seed)
    specs = []
    add = lambda rel, kind, i, make: specs.append((rel, kind, i, make))
    sites = layout["sites"]
    for i, site in enumerate(sites):
        add(SRC + "sites/%s.site-meta.xml" % site, "site", i,
            lambda rng, site=site, i=i: g.custom_site(rng, site, i))
        add(SRC + "networks/%s.network-meta.xml" % site.replace("_", " "), "network", i,
            lambda rng, site=site: g.network(rng, site, "Customer Community User"))
        add(SRC + "experiences/%s1/config/%s.json" % (site, site.replace("_", "").lower()),
            "experience", i, lambda rng, site=site: g.experience_config(rng, site))
    for i, name in enumerate(layout["profiles"]):
        guest = i < len(sites)
        add(SRC + "profiles/%s.profile-meta.xml" % name, "profile", i,
            lambda rng, guest=guest, i=i: big_profile(rng, layout, guest, i == 0))
    for i in range(layout["n_permsets"]):
        prng = g.file_rng(seed, "org-permset-name", i)
        label = "%s %s" % (prng.choice(g.CUSTOM_STEMS).replace("_", " "),
                           prng.choice(["Manager", "Viewer", "Editor", "Integration"]))
        add(SRC + "permissionsets/%s_%04d.permissionset-meta.xml" % (label.replace(" ", "_"), i),
            "permissionset", i, lambda rng, label=label: g.permission_set(rng, label))
    for i in range(layout["n_sharing"]):
        obj = layout["objects"][i % len(layout["objects"])]
        add(SRC + "sharingRules/%s.sharingRules-meta.xml" % obj, "sharing_rules", i,
            lambda rng, obj=obj, i=i: g.sharing_rules(rng, obj, list(sites), 1.0, i == 0))
    for i, obj in enumerate(layout["objects"]):
        add(SRC + "objects/%s/%s.object-meta.xml" % (obj, obj), "object", i,
            lambda rng, obj=obj: custom_object(rng, obj))
    for i, (name, sharing, test) in enumerate(layout["classes"]):
        add(SRC + "classes/%s.cls" % name, "apex_class", i,
            (lambda rng, name=name: test_class(rng, name)) if test
            else (lambda rng, name=name, sh=sharing: g.apex_class(rng, name, sh)))
        add(SRC + "classes/%s.cls-meta.xml" % name, "apex_meta", i, g.apex_class_meta)
    for i, (obj, field, kind) in enumerate(layout["fields"]):
        add(SRC + "objects/%s/fields/%s.field-meta.xml" % (obj, field), "field", i,
            lambda rng, obj=obj, field=field, kind=kind: custom_field(rng, obj, field, kind))
    return specs[:n]


def generate(out_dir, n, seed):
    """Writes the org; returns (bytes written, {"salesforce": files})."""
    import os
    total = 0
    for rel, kind, index, make in plan(n, seed):
        data = make(g.file_rng(seed, "org-" + kind, index)).encode("utf-8")
        path = os.path.join(out_dir, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        total += len(data)
    return total, {"salesforce": n}
