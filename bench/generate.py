#!/usr/bin/env python3
"""Deterministic benchmark corpus generator for doublecheck.

Usage:
    python3 bench/generate.py OUT_DIR [--files N] [--seed S]

Writes exactly N files under OUT_DIR, roughly evenly mixed between the kinds
of file doublecheck reads, plus about 10% filler it must not read:

  profile_source   force-app/main/default/profiles/<Name>.profile-meta.xml
  profile_mdapi    src/profiles/<Name>.profile
  permissionset    force-app/main/default/permissionsets/<Name>.permissionset-meta.xml
  site             force-app/main/default/sites/<Name>.site-meta.xml
  settings_yml     repos/<repo>/.github/settings.yml            (safe-settings)
  branch_json      repos/<repo>/.github/branch-protection/main.json (REST API shape)
  k8s              k8s/<app>/manifests.yaml                     (2-5 documents)
  filler           README.md, *.ts, *.png-like bytes, node_modules/*/package.json,
                   the root .gitignore, and files under ignored/ (which .gitignore
                   excludes)

The output depends only on (N, seed): every file is generated from its own
random.Random seeded with a string derived from (seed, kind, index), only
order-stable operations are used, and files are written with "\\n" line
endings in UTF-8.  Python standard library only.
"""

import argparse
import json
import math
import os
import random
import sys

NS = "http://soap.sforce.com/2006/04/metadata"
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'

KINDS = [
    "profile_source",
    "profile_mdapi",
    "permissionset",
    "site",
    "settings_yml",
    "branch_json",
    "k8s",
]
FILLER_FRACTION = 0.10

# --------------------------------------------------------------------------
# Vocabulary (constant: never depends on the seed)
# --------------------------------------------------------------------------

STANDARD_OBJECTS = [
    "Account", "Asset", "Campaign", "Case", "Contact", "Contract", "Event",
    "Lead", "Opportunity", "Order", "Pricebook2", "Product2", "Quote", "Task",
]
CUSTOM_STEMS = [
    "Application", "Claim", "Commission", "Course", "Device", "Donation",
    "Enrollment", "Expense_Report", "Feedback", "Grant", "Invoice",
    "Invoice_Line", "Lease", "Loan", "Member", "Partner_Referral", "Payment",
    "Policy", "Project", "Property", "Service_Request", "Shipment",
    "Subscription", "Survey_Response", "Territory_Plan", "Timesheet",
    "Vehicle", "Vendor", "Warranty_Claim", "Work_Order",
]
NAMESPACES = ["", "", "", "", "acme__", "npsp__", "fsl__"]
CUSTOM_OBJECTS = [ns + s + "__c" for s in CUSTOM_STEMS for ns in ("", "acme__")]
ALL_OBJECTS = STANDARD_OBJECTS + CUSTOM_OBJECTS
FIELD_STEMS = [
    "Account_Number", "Amount", "Approved_By", "Approval_Date", "Balance",
    "Billing_City", "Billing_Country", "Category", "Close_Reason",
    "Contract_Term", "Credit_Limit", "Date_Of_Birth", "Description",
    "Discount_Percent", "Due_Date", "Email", "End_Date", "External_Id",
    "Home_Phone", "Is_Active", "Is_Primary", "Last_Contacted", "Notes",
    "Owner_Region", "Priority", "Quantity", "Rating", "Region",
    "Renewal_Date", "Risk_Score", "SSN", "Segment", "Source_System",
    "Start_Date", "Status", "Sub_Status", "Tax_Id", "Tier", "Total",
    "Unit_Price", "Vat_Number",
]
CLASS_SUFFIXES = [
    "Batch", "Controller", "Helper", "Queueable", "Scheduler", "Selector",
    "Service", "Test", "TriggerHandler", "Utils", "Validator", "Wrapper",
]
PAGE_SUFFIXES = ["Edit", "Page", "PDF", "Portal", "View"]
APPS = [
    "standard__AllTabSet", "standard__AppLauncher", "standard__Chatter",
    "standard__Community", "standard__Content", "standard__Insights",
    "standard__LightningSales", "standard__LightningService",
    "standard__Marketing", "standard__Platform", "standard__Sales",
    "standard__Service", "standard__ServiceConsole", "standard__Sites",
    "Billing_Console", "Field_Service", "Partner_Hub", "Project_Tracker",
    "Renewals", "Vendor_Management",
]
RECORD_TYPE_NAMES = ["Business", "Enterprise", "Internal", "Partner", "Person", "Standard"]
USER_PERMISSIONS = [
    "ActivateContract", "ActivateOrder", "ActivitiesAccess", "AddDirectMessageMembers",
    "AllowUniversalSearch", "AllowViewKnowledge", "ApexRestServices", "ApiEnabled",
    "AssignPermissionSets", "AssignTopics", "AuthorApex", "BulkApiHardDelete",
    "CanUseNewDashboardBuilder", "ChatterEditOwnPost", "ChatterFileLink",
    "ChatterInternalUser", "ChatterInviteExternalUsers", "ChatterOwnGroups",
    "ContentAdministrator", "ContentWorkspaces", "ConvertLeads",
    "CreateCustomizeDashboards", "CreateCustomizeFilters", "CreateCustomizeReports",
    "CreateDashboardFolders", "CreateReportFolders", "CreateTopics",
    "CustomizeApplication", "DelegatedTwoFactor", "DistributeFromPersWksp",
    "EditActivatedOrders", "EditBrandTemplates", "EditEvent", "EditHtmlTemplates",
    "EditOppLineItemUnitPrice", "EditPublicDocuments", "EditPublicFilters",
    "EditPublicTemplates", "EditReadonlyFields", "EditTask", "EditTopics",
    "EmailMass", "EmailSingle", "EnableNotifications", "ExportReport",
    "GiveRecognitionBadge", "ImportCustomObjects", "ImportLeads", "ImportPersonal",
    "InstallPackaging", "LightningConsoleAllowedForUser", "LightningExperienceUser",
    "ListEmailSend", "ManageAnalyticSnapshots", "ManageAuthProviders",
    "ManageBusinessHourHolidays", "ManageCases", "ManageCategories",
    "ManageContentPermissions", "ManageCustomPermissions", "ManageCustomReportTypes",
    "ManageDashbdsInPubFolders", "ManageDataCategories", "ManageDataIntegrations",
    "ManageEmailClientConfig", "ManageInternalUsers", "ManageIpAddresses",
    "ManageLeads", "ManageLoginAccessPolicies", "ManageNetworks", "ManagePasswordPolicies",
    "ManageProfilesPermissionsets", "ManagePvtRptsAndDashbds", "ManageRoles",
    "ManageSharing", "ManageSolutions", "ManageUsers", "MassInlineEdit",
    "MergeTopics", "ModerateChatter", "ModifyAllData", "ModifyMetadata",
    "NewReportBuilder", "PasswordNeverExpires", "RemoveDirectMessageMembers",
    "ResetPasswords", "RunReports", "ScheduleReports", "SelectFilesFromSalesforce",
    "SendSitRequests", "ShowCompanyNameAsUserBadge", "SolutionImport",
    "SubmitMacrosAllowed", "SubscribeToLightningReports", "TransferAnyCase",
    "TransferAnyEntity", "TransferAnyLead", "UseTeamReassignWizards",
    "UseWebLink", "ViewAllData", "ViewAllUsers", "ViewDataAssessment",
    "ViewDataCategories", "ViewEventLogFiles", "ViewHealthCheck", "ViewHelpLink",
    "ViewMyTeamsDashboards", "ViewPublicDashboards", "ViewPublicReports",
    "ViewRoles", "ViewSetup",
]
GUEST_USER_PERMISSIONS = ["AllowViewKnowledge", "ChatterFileLink", "PasswordNeverExpires", "ViewHelpLink"]
PROFILE_ROLES = [
    "Account Manager", "Billing Specialist", "Contract Manager", "Customer Support",
    "Field Technician", "Finance Analyst", "Integration User", "Marketing User",
    "Operations", "Partner Manager", "Read Only", "Renewals Rep", "Sales Manager",
    "Sales Rep", "Service Agent", "Solution Manager", "System Auditor",
    "Tier 2 Support", "Vendor Relations",
]
SITE_STEMS = [
    "Careers", "Customer_Portal", "Donor_Portal", "Help_Center", "Investor",
    "Partner_Community", "Public_Catalog", "Status_Page", "Support", "Vendor_Portal",
]
REPO_STEMS = [
    "auth-service", "billing-api", "catalog", "checkout", "data-pipeline",
    "design-system", "docs", "gateway", "infra", "inventory", "ledger",
    "mobile-app", "notifications", "onboarding", "payments-api", "reporting",
    "search", "terraform-modules", "web-frontend", "worker",
]
CI_CONTEXTS = [
    "build", "ci/circleci: test", "codeql", "continuous-integration/jenkins/pr-merge",
    "e2e", "lint", "security/snyk", "sonarcloud", "test (ubuntu-latest)",
    "test (windows-latest)", "typecheck", "unit-tests",
]
USERS = ["alice-dev", "bob-ops", "carol-sec", "dan-release", "erin-platform", "frank-qa", "grace-lead"]
TEAMS = ["admins", "backend", "frontend", "platform", "release-managers", "security"]
OWNER = "acme-corp"
K8S_APPS = [
    "api", "cart", "checkout", "currency", "email", "frontend", "inventory",
    "ledger", "payments", "queue-worker", "recommendation", "search",
    "shipping", "auth", "notifier",
]
NODE_PKGS = [
    "ansi-styles", "chalk", "debug", "escape-string-regexp", "has-flag", "lodash",
    "ms", "semver", "supports-color", "tslib", "uuid", "yallist",
]
WORDS = (
    "the a data access policy metadata deployment review required team org "
    "release sandbox production guest user portal record sharing field object "
    "permission set profile branch protection settings cluster service "
    "container image config secret owner approve merge check build test"
).split()


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def file_rng(seed, kind, index):
    # random.seed() of a str is deterministic across runs and Python 3 versions
    # (it hashes the string with SHA-512, independent of PYTHONHASHSEED).
    return random.Random("doublecheck-bench/%s/%s/%d" % (seed, kind, index))


def b(v):
    return "true" if v else "false"


def log_uniform(rng, lo, hi):
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def sentence(rng, lo=4, hi=12):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return (" ".join(words)).capitalize() + "."


def pascal(stem):
    return "".join(part.capitalize() for part in stem.replace("__c", "").replace("__", "_").split("_"))


def field_name(rng, obj):
    stem = rng.choice(FIELD_STEMS)
    ns = rng.choice(NAMESPACES) if obj.endswith("__c") else ""
    return "%s.%s%s__c" % (obj, ns, stem)


def sf_element(tag, children):
    """A 4-space-indented metadata element whose children are one per line,
    indented 8 spaces, in the order given."""
    lines = ["    <%s>" % tag]
    for name, value in children:
        lines.append("        <%s>%s</%s>" % (name, value, name))
    lines.append("    </%s>" % tag)
    return "\n".join(lines) + "\n"


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------
# Salesforce
# --------------------------------------------------------------------------

def object_permission(rng, obj, guest, force_view_all=False):
    if guest:
        read = True
        create = rng.random() < 0.3
        edit = delete = modify_all = False
        view_all = force_view_all
    else:
        level = rng.random()
        if level < 0.08:  # admin-like
            read = create = edit = delete = view_all = modify_all = True
        elif level < 0.2:
            read = create = edit = delete = True
            view_all = rng.random() < 0.5
            modify_all = False
        elif level < 0.7:
            read = create = edit = True
            delete = rng.random() < 0.3
            view_all = modify_all = False
        else:
            read = True
            create = edit = delete = view_all = modify_all = False
        if force_view_all:
            view_all = True
    return sf_element("objectPermissions", [
        ("allowCreate", b(create)),
        ("allowDelete", b(delete)),
        ("allowEdit", b(edit)),
        ("allowRead", b(read)),
        ("modifyAllRecords", b(modify_all)),
        ("object", obj),
        ("viewAllRecords", b(view_all)),
    ])


def field_permission(rng, field, guest):
    readable = True if guest else rng.random() < 0.95
    editable = (not guest) and readable and rng.random() < 0.5
    return sf_element("fieldPermissions", [
        ("editable", b(editable)),
        ("field", field),
        ("readable", b(readable)),
    ])


def profile_filler_pools(rng, guest):
    """Per-profile, shuffled pools of optional entries: {category: [(key, text)]}."""
    pools = {}
    classes = [pascal(s) + suf for s in CUSTOM_STEMS + STANDARD_OBJECTS for suf in CLASS_SUFFIXES]
    rng.shuffle(classes)
    pools["classAccesses"] = [
        (c, sf_element("classAccesses", [("apexClass", c), ("enabled", b(rng.random() < 0.8))]))
        for c in classes
    ]
    pages = [pascal(s) + suf for s in CUSTOM_STEMS for suf in PAGE_SUFFIXES]
    rng.shuffle(pages)
    pools["pageAccesses"] = [
        (p, sf_element("pageAccesses", [("apexPage", p), ("enabled", b(rng.random() < 0.7))]))
        for p in pages
    ]
    tabs = ["standard-" + o for o in STANDARD_OBJECTS] + CUSTOM_OBJECTS
    rng.shuffle(tabs)
    pools["tabVisibilities"] = [
        (t, sf_element("tabVisibilities", [
            ("tab", t), ("visibility", rng.choice(["DefaultOn", "DefaultOff", "Hidden"]))]))
        for t in tabs
    ]
    layouts = []
    for o in ALL_OBJECTS:
        label = o.replace("__c", "").replace("acme__", "").replace("_", " ")
        layouts.append(("%s-%s Layout" % (o, label), None))
        if rng.random() < 0.3:
            rt = rng.choice(RECORD_TYPE_NAMES)
            layouts.append(("%s-%s %s Layout" % (o, label, rt), "%s.%s" % (o, rt)))
    rng.shuffle(layouts)
    pools["layoutAssignments"] = [
        (l, sf_element("layoutAssignments", [("layout", l)] + ([("recordType", rt)] if rt else [])))
        for l, rt in layouts
    ]
    rts = ["%s.%s" % (o, r) for o in ALL_OBJECTS for r in RECORD_TYPE_NAMES]
    rng.shuffle(rts)
    pools["recordTypeVisibilities"] = [
        (r, sf_element("recordTypeVisibilities", [
            ("default", b(rng.random() < 0.2)), ("recordType", r), ("visible", b(rng.random() < 0.8))]))
        for r in rts
    ]
    apps = list(APPS)
    rng.shuffle(apps)
    pools["applicationVisibilities"] = [
        (a, sf_element("applicationVisibilities", [
            ("application", a), ("default", b(rng.random() < 0.1)), ("visible", b(rng.random() < 0.6))]))
        for a in apps
    ]
    perms = list(GUEST_USER_PERMISSIONS if guest else USER_PERMISSIONS)
    rng.shuffle(perms)
    pools["userPermissions"] = [
        (p, sf_element("userPermissions", [("enabled", "true"), ("name", p)]))
        for p in perms
    ]
    return pools


def profile(rng, guest, violation):
    """A Profile between roughly 5 and 60 KB."""
    target = log_uniform(rng, 5000, 60000)
    parts = {}
    n_objects = rng.randint(2, 15)
    objects = rng.sample(ALL_OBJECTS, n_objects)
    violating = rng.randrange(n_objects) if violation else -1
    parts["objectPermissions"] = [
        (o, object_permission(rng, o, guest, force_view_all=(i == violating)))
        for i, o in enumerate(objects)
    ]
    fields = {}
    n_fields = rng.randint(5, 40)
    while len(fields) < n_fields:
        obj = rng.choice(objects) if rng.random() < 0.7 else rng.choice(ALL_OBJECTS)
        f = field_name(rng, obj)
        if f not in fields:
            fields[f] = field_permission(rng, f, guest)
    parts["fieldPermissions"] = list(fields.items())

    size = sum(len(t) for cat in parts.values() for _, t in cat)
    pools = profile_filler_pools(rng, guest)
    weights = {
        "classAccesses": 5, "pageAccesses": 2, "tabVisibilities": 3,
        "layoutAssignments": 3, "recordTypeVisibilities": 2,
        "applicationVisibilities": 1, "userPermissions": 3,
    }
    for cat in weights:
        parts[cat] = []
    # Always a few of each common kind, then fill up to the target size.
    for cat, n in (("classAccesses", rng.randint(3, 8)), ("tabVisibilities", rng.randint(2, 6)),
                   ("userPermissions", rng.randint(1, 4)), ("layoutAssignments", rng.randint(1, 4))):
        for _ in range(n):
            if pools[cat]:
                item = pools[cat].pop()
                parts[cat].append(item)
                size += len(item[1])
    cats = sorted(weights)
    while size < target:
        live = [c for c in cats if pools[c]]
        if not live:
            break
        cat = rng.choices(live, weights=[weights[c] for c in live])[0]
        item = pools[cat].pop()
        parts[cat].append(item)
        size += len(item[1])

    simple = {
        "custom": "    <custom>true</custom>\n",
        "userLicense": "    <userLicense>%s</userLicense>\n"
                       % ("Guest User License" if guest else "Salesforce"),
    }
    if rng.random() < 0.4:
        simple["description"] = "    <description>%s</description>\n" % xml_escape(sentence(rng))
    if not guest and rng.random() < 0.15:
        ranges = []
        for _ in range(rng.randint(1, 3)):
            a = "10.%d.%d.0" % (rng.randint(0, 255), rng.randint(0, 255))
            ranges.append(sf_element("loginIpRanges", [
                ("endAddress", a[:-1] + "255"), ("startAddress", a)]))
        simple["loginIpRanges"] = "".join(ranges)

    # Metadata API output is sorted by element name, and entries by key.
    out = [XML_DECL, '<Profile xmlns="%s">\n' % NS]
    for tag in sorted(set(parts) | set(simple)):
        if tag in simple:
            out.append(simple[tag])
        else:
            out.extend(t for _, t in sorted(parts[tag]))
    out.append("</Profile>\n")
    return "".join(out)


def permission_set(rng, label):
    out = [XML_DECL, '<PermissionSet xmlns="%s">\n' % NS]
    classes = rng.sample([pascal(s) + suf for s in CUSTOM_STEMS for suf in CLASS_SUFFIXES],
                         rng.choice([0, 0, 1, 2, 4]))
    for c in sorted(classes):
        out.append(sf_element("classAccesses", [("apexClass", c), ("enabled", "true")]))
    out.append("    <description>%s</description>\n" % xml_escape(sentence(rng)))
    objects = rng.sample(ALL_OBJECTS, rng.randint(0, 4))
    fields = set()
    for _ in range(rng.randint(1, 12)):
        obj = rng.choice(objects) if objects and rng.random() < 0.7 else rng.choice(ALL_OBJECTS)
        fields.add(field_name(rng, obj))
    for f in sorted(fields):
        out.append(field_permission(rng, f, guest=False))
    out.append("    <hasActivationRequired>false</hasActivationRequired>\n")
    out.append("    <label>%s</label>\n" % xml_escape(label))
    if rng.random() < 0.2:
        out.append("    <license>Salesforce</license>\n")
    for o in sorted(objects):
        out.append(object_permission(rng, o, guest=False))
    perms = rng.sample(USER_PERMISSIONS, rng.randint(0, 6))
    for p in sorted(perms):
        out.append(sf_element("userPermissions", [("enabled", "true"), ("name", p)]))
    out.append("</PermissionSet>\n")
    return "".join(out)


def custom_site(rng, name, index):
    prefix = name.lower().replace("_", "") if rng.random() < 0.8 else ""
    site_type = rng.choice(["Visualforce", "Visualforce", "ChatterNetwork", "ChatterNetworkPicasso"])
    admin = "admin%d@example.com" % index
    el = [
        ("active", b(rng.random() < 0.8)),
        ("allowHomePage", b(rng.random() < 0.7)),
        ("allowStandardAnswersSearch", "false"),
        ("allowStandardIdeasPages", b(rng.random() < 0.3)),
        ("allowStandardLookups", b(rng.random() < 0.2)),
        ("allowStandardPortalPages", "true"),
        ("allowStandardSearch", b(rng.random() < 0.3)),
        ("authorizationRequiredPage", "Unauthorized"),
        ("bandwidthExceededPage", "BandwidthExceeded"),
        ("browserXssProtection", "true"),
        ("cachePublicVisualforcePagesInProxyServers", b(rng.random() < 0.5)),
        ("clickjackProtectionLevel", rng.choice(["SameOriginOnly", "SameOriginOnly", "AllowAllFraming"])),
        ("contentSniffingProtection", "true"),
        ("enableAuraRequests", b(site_type != "Visualforce")),
        ("fileNotFoundPage", "FileNotFound"),
        ("genericErrorPage", "Exception"),
        ("guestProfile", "%s Profile" % name.replace("_", " ")),
        ("inMaintenancePage", "InMaintenance"),
        ("indexPage", rng.choice(["SiteLogin", "Home", "CommunitiesLanding"])),
        ("masterLabel", name.replace("_", " ")),
        ("redirectToCustomDomain", "false"),
        ("referrerPolicyOriginWhenCrossOrigin", "true"),
        ("selfRegPage", "SiteRegister"),
        ("siteAdmin", admin),
        ("siteGuestRecordDefaultOwner", admin),
        ("siteTemplate", "SiteTemplate"),
        ("siteType", site_type),
        ("urlPathPrefix", prefix),
    ]
    out = [XML_DECL, '<CustomSite xmlns="%s">\n' % NS]
    for tag, value in el:
        if tag == "urlPathPrefix" and not value:
            continue
        out.append("    <%s>%s</%s>\n" % (tag, value, tag))
        if tag == "contentSniffingProtection" and rng.random() < 0.4:
            out.append(sf_element("customWebAddresses", [
                ("domainName", "%s.example.com" % (prefix or "www")), ("primary", "true")]))
        if tag == "siteGuestRecordDefaultOwner":
            for i in range(rng.randint(0, 4)):
                out.append(sf_element("siteRedirectMappings", [
                    ("action", "Permanent"), ("isActive", "true"),
                    ("source", "/old/page%d" % i), ("target", "/page%d" % i)]))
    out.append("</CustomSite>\n")
    return "".join(out)


# --------------------------------------------------------------------------
# GitHub
# --------------------------------------------------------------------------

def yaml_str(rng, s):
    r = rng.random()
    if r < 0.2:
        return '"%s"' % s
    if r < 0.3:
        return "'%s'" % s
    return s


def settings_yml(rng, repo):
    L = []
    if rng.random() < 0.6:
        L.append("# These settings are synced to GitHub by https://github.com/github/safe-settings")
        L.append("")
    L.append("repository:")
    L.append("  name: %s" % repo)
    L.append("  description: %s" % yaml_str(rng, sentence(rng, 3, 8)))
    if rng.random() < 0.5:
        L.append("  homepage: https://%s.example.com" % repo)
    L.append("  topics: %s" % ", ".join(rng.sample(["api", "go", "rust", "java", "infra", "internal", "payments", "web"], 3)))
    L.append("  private: %s" % b(rng.random() < 0.85))
    L.append("  has_issues: true")
    L.append("  has_projects: %s" % b(rng.random() < 0.3))
    L.append("  has_wiki: false")
    L.append("  default_branch: main")
    L.append("  allow_squash_merge: true")
    L.append("  allow_merge_commit: %s" % b(rng.random() < 0.3))
    L.append("  allow_rebase_merge: true")
    L.append("  delete_branch_on_merge: true")
    L.append("  enable_vulnerability_alerts: %s" % b(rng.random() < 0.8))
    L.append("")
    if rng.random() < 0.7:
        L.append("labels:")
        for name, color in rng.sample([
                ("bug", "CC0000"), ("feature", "336699"), ("security", "B60205"),
                ("dependencies", "0366D6"), ("good first issue", "7057FF"),
                ("needs-triage", "FBCA04"), ("wontfix", "FFFFFF"), ("breaking", "D93F0B"),
                ("docs", "0075CA"), ("performance", "5319E7"), ("ci", "C2E0C6"),
                ("release", "0E8A16")], rng.randint(2, 12)):
            L.append("  - name: %s" % (('"%s"' % name) if " " in name else name))
            quote = color.isdigit() or rng.random() < 0.3  # bare 336699 would be an int
            L.append("    color: %s" % (("'%s'" % color) if quote else color))
            if rng.random() < 0.5:
                L.append("    description: %s" % sentence(rng, 3, 7))
        L.append("")
    if rng.random() < 0.6:
        L.append("teams:")
        for t in rng.sample(TEAMS, rng.randint(1, 4)):
            L.append("  - name: %s" % t)
            L.append("    permission: %s" % rng.choice(["pull", "push", "maintain", "admin"]))
        L.append("")
    if rng.random() < 0.3:
        L.append("collaborators:")
        for u in rng.sample(USERS, rng.randint(1, 3)):
            L.append("  - username: %s" % u)
            L.append("    permission: %s" % rng.choice(["push", "admin"]))
        L.append("")
    L.append("branches:")
    branches = ["main"] + (["release/*"] if rng.random() < 0.25 else [])
    for br in branches:
        count = 0 if rng.random() < 0.15 else rng.choice([1, 1, 1, 2, 2, 3])
        contexts = rng.sample(CI_CONTEXTS, rng.randint(1, 4))
        L.append("  - name: %s" % (('"%s"' % br) if "*" in br else br))
        L.append("    protection:")
        L.append("      required_pull_request_reviews:")
        L.append("        required_approving_review_count: %d" % count)
        L.append("        dismiss_stale_reviews: %s" % b(rng.random() < 0.7))
        L.append("        require_code_owner_reviews: %s" % b(rng.random() < 0.6))
        if rng.random() < 0.4:
            L.append("        dismissal_restrictions:")
            L.append("          users: [%s]" % ", ".join(rng.sample(USERS, 2)))
            L.append("          teams: [%s]" % rng.choice(TEAMS))
        L.append("      required_status_checks:")
        L.append("        strict: true")
        if rng.random() < 0.5:
            L.append("        contexts: [%s]" % ", ".join('"%s"' % c for c in contexts))
        else:
            L.append("        contexts:")
            for c in contexts:
                L.append('          - "%s"' % c)
        L.append("      enforce_admins: %s" % b(rng.random() < 0.6))
        L.append("      required_linear_history: %s" % b(rng.random() < 0.5))
        if rng.random() < 0.5:
            L.append("      restrictions: null")
        else:
            L.append("      restrictions:")
            L.append("        apps: []")
            L.append("        users: []")
            L.append("        teams: [%s]" % rng.choice(TEAMS))
    return "\n".join(L) + "\n"


def gh_user(login, uid):
    u = "https://api.github.com/users/" + login
    return {
        "login": login, "id": uid, "node_id": "MDQ6VXNlcj%07d" % uid,
        "avatar_url": "https://avatars.githubusercontent.com/u/%d?v=4" % uid,
        "gravatar_id": "", "url": u, "html_url": "https://github.com/" + login,
        "followers_url": u + "/followers",
        "following_url": u + "/following{/other_user}",
        "gists_url": u + "/gists{/gist_id}",
        "starred_url": u + "/starred{/owner}{/repo}",
        "subscriptions_url": u + "/subscriptions",
        "organizations_url": u + "/orgs", "repos_url": u + "/repos",
        "events_url": u + "/events{/privacy}",
        "received_events_url": u + "/received_events",
        "type": "User", "site_admin": False,
    }


def gh_team(slug, tid):
    u = "https://api.github.com/teams/%d" % tid
    return {
        "id": tid, "node_id": "MDQ6VGVhbT%07d" % tid, "url": u,
        "html_url": "https://github.com/orgs/%s/teams/%s" % (OWNER, slug),
        "name": slug, "slug": slug, "description": "", "privacy": "closed",
        "notification_setting": "notifications_enabled", "permission": "pull",
        "members_url": u + "/members{/member}", "repositories_url": u + "/repos",
        "parent": None,
    }


def branch_json(rng, repo):
    base = "https://api.github.com/repos/%s/%s/branches/main/protection" % (OWNER, repo)
    contexts = rng.sample(CI_CONTEXTS, rng.randint(1, 4))
    doc = {"url": base}
    doc["required_status_checks"] = {
        "url": base + "/required_status_checks",
        "strict": rng.random() < 0.8,
        "contexts": contexts,
        "contexts_url": base + "/required_status_checks/contexts",
        "checks": [{"context": c, "app_id": rng.choice([None, 15368])} for c in contexts],
    }
    doc["enforce_admins"] = {"url": base + "/enforce_admins", "enabled": rng.random() < 0.6}
    count = 0 if rng.random() < 0.15 else rng.choice([1, 1, 1, 2, 2, 3])
    reviews = {"url": base + "/required_pull_request_reviews"}
    if rng.random() < 0.3:
        users = rng.sample(USERS, 1)
        teams = rng.sample(TEAMS, rng.randint(0, 1))
        reviews["dismissal_restrictions"] = {
            "url": base + "/dismissal_restrictions",
            "users_url": base + "/dismissal_restrictions/users",
            "teams_url": base + "/dismissal_restrictions/teams",
            "users": [gh_user(u, 1000 + USERS.index(u)) for u in users],
            "teams": [gh_team(t, 200 + TEAMS.index(t)) for t in teams],
            "apps": [],
        }
    reviews["dismiss_stale_reviews"] = rng.random() < 0.7
    reviews["require_code_owner_reviews"] = rng.random() < 0.6
    reviews["required_approving_review_count"] = count
    reviews["require_last_push_approval"] = rng.random() < 0.3
    if rng.random() < 0.9:
        doc["required_pull_request_reviews"] = reviews
    doc["required_signatures"] = {"url": base + "/required_signatures", "enabled": rng.random() < 0.2}
    if rng.random() < 0.6:
        doc["restrictions"] = None
    else:
        r = base + "/restrictions"
        doc["restrictions"] = {
            "url": r, "users_url": r + "/users", "teams_url": r + "/teams", "apps_url": r + "/apps",
            "users": [], "teams": [gh_team(t, 200 + TEAMS.index(t)) for t in rng.sample(TEAMS, rng.randint(1, 2))],
            "apps": [],
        }
    doc["required_linear_history"] = {"enabled": rng.random() < 0.5}
    doc["allow_force_pushes"] = {"enabled": rng.random() < 0.1}
    doc["allow_deletions"] = {"enabled": rng.random() < 0.05}
    doc["block_creations"] = {"enabled": False}
    doc["required_conversation_resolution"] = {"enabled": rng.random() < 0.4}
    doc["lock_branch"] = {"enabled": False}
    doc["allow_fork_syncing"] = {"enabled": False}
    return json.dumps(doc, indent=2) + "\n"


# --------------------------------------------------------------------------
# Kubernetes
# --------------------------------------------------------------------------

def k8s_manifests(rng, app, ns):
    use_anchor = rng.random() < 0.3
    helm = rng.random() < 0.3
    port = rng.choice([80, 3000, 8000, 8080, 9090])
    env_keys = rng.sample(["LOG_LEVEL", "FEATURE_FLAGS", "CACHE_TTL", "DB_POOL_SIZE",
                           "UPSTREAM_URL", "REGION", "TRACING_ENDPOINT", "TIMEOUT_MS",
                           "RETRY_LIMIT", "BATCH_SIZE", "QUEUE_NAME", "MAX_BODY_BYTES"],
                          rng.randint(1, 10))
    labels = ["app.kubernetes.io/name: %s" % app, "app.kubernetes.io/part-of: shop"]
    if rng.random() < 0.5:
        labels.append("app.kubernetes.io/version: \"1.%d.%d\"" % (rng.randint(0, 20), rng.randint(0, 9)))

    def meta(name, kind_labels=True):
        m = ["metadata:", "  name: %s" % name, "  namespace: %s" % ns]
        if kind_labels:
            m.append("  labels:")
            m.extend("    " + l for l in labels)
        return m

    def source(path):
        return ["# Source: %s/templates/%s" % (app, path)] if helm else []

    cm = source("configmap.yaml") + ["apiVersion: v1", "kind: ConfigMap"] + meta("%s-config" % app) + ["data:"]
    for k in env_keys:
        v = rng.choice(["info", "true", "30", "10", "eu-west-1", "http://collector:4317", "5000"])
        cm.append("  %s: \"%s\"" % (k, v))
    if rng.random() < 0.3:
        cm.append("  app.properties: |")
        for k in env_keys:
            cm.append("    %s=%s" % (k.lower().replace("_", "."), rng.randint(1, 100)))

    svc = source("service.yaml") + ["apiVersion: v1", "kind: Service"] + meta(app) + [
        "spec:",
        "  type: %s" % rng.choice(["ClusterIP", "ClusterIP", "ClusterIP", "LoadBalancer", "NodePort"]),
        "  selector:",
        "    app.kubernetes.io/name: %s" % app,
        "  ports:",
        "    - name: http",
        "      port: 80",
        "      targetPort: %d" % port,
        "      protocol: TCP",
    ]

    sa = source("serviceaccount.yaml") + ["apiVersion: v1", "kind: ServiceAccount"] + meta(app) + [
        "automountServiceAccountToken: %s" % b(rng.random() < 0.3)]

    hpa = source("hpa.yaml") + ["apiVersion: autoscaling/v2", "kind: HorizontalPodAutoscaler"] + meta(app) + [
        "spec:",
        "  scaleTargetRef:",
        "    apiVersion: apps/v1",
        "    kind: Deployment",
        "    name: %s" % app,
        "  minReplicas: %d" % rng.randint(1, 3),
        "  maxReplicas: %d" % rng.randint(4, 20),
        "  metrics:",
        "    - type: Resource",
        "      resource:",
        "        name: cpu",
        "        target: {type: Utilization, averageUtilization: %d}" % rng.choice([60, 70, 80]),
    ]

    dep = source("deployment.yaml") + ["apiVersion: apps/v1", "kind: Deployment", "metadata:",
                                       "  name: %s" % app, "  namespace: %s" % ns]
    if use_anchor:
        dep.append("  labels: &labels")
    else:
        dep.append("  labels:")
    dep.extend("    " + l for l in labels)
    dep += ["spec:", "  replicas: %d" % rng.randint(1, 6), "  revisionHistoryLimit: 5",
            "  selector:"]
    if use_anchor:
        dep.append("    matchLabels: *labels")
    else:
        dep += ["    matchLabels:", "      app.kubernetes.io/name: %s" % app]
    dep += ["  strategy:", "    type: RollingUpdate",
            "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}",
            "  template:", "    metadata:"]
    if use_anchor:
        dep.append("      labels: *labels")
    else:
        dep += ["      labels:"] + ["        " + l for l in labels]
    dep += ["      annotations:", '        prometheus.io/scrape: "true"',
            '        prometheus.io/port: "%d"' % port, "    spec:",
            "      serviceAccountName: %s" % app]
    if rng.random() < 0.05:
        dep.append("      hostNetwork: true")
    if rng.random() < 0.8:
        dep += ["      securityContext:", "        runAsNonRoot: true",
                "        runAsUser: %d" % rng.choice([1000, 10001, 65532]),
                "        fsGroup: 2000"]
    dep.append("      containers:")
    n_containers = 1 if rng.random() < 0.75 else 2
    for ci in range(n_containers):
        name = app if ci == 0 else rng.choice(["envoy", "log-shipper", "cloudsql-proxy"])
        dep += ["        - name: %s" % name,
                "          image: registry.example.com/shop/%s:%d.%d.%d" % (
                    name, rng.randint(0, 3), rng.randint(0, 40), rng.randint(0, 9)),
                "          imagePullPolicy: IfNotPresent"]
        if ci == 0:
            dep += ["          ports:", "            - name: http",
                    "              containerPort: %d" % port, "              protocol: TCP",
                    "          env:"]
            for k in env_keys:
                dep += ["            - name: %s" % k, "              valueFrom:",
                        "                configMapKeyRef:",
                        "                  name: %s-config" % app,
                        "                  key: %s" % k]
            if rng.random() < 0.5:
                dep += ["            - name: DB_PASSWORD", "              valueFrom:",
                        "                secretKeyRef: {name: %s-db, key: password}" % app]
            dep += ["          readinessProbe:", "            httpGet: {path: /healthz, port: http}",
                    "            periodSeconds: 10",
                    "          livenessProbe:", "            httpGet: {path: /livez, port: http}",
                    "            initialDelaySeconds: 15"]
        if use_anchor and ci == 0:
            dep.append("          resources: &resources")
            dep += ["            requests: {cpu: 100m, memory: 128Mi}",
                    "            limits: {cpu: 500m, memory: 512Mi}"]
        elif use_anchor:
            dep.append("          resources: *resources")
        else:
            dep += ["          resources:", "            requests:",
                    "              cpu: %dm" % rng.choice([50, 100, 250]),
                    "              memory: %dMi" % rng.choice([64, 128, 256]),
                    "            limits:",
                    "              cpu: %dm" % rng.choice([500, 1000]),
                    "              memory: %dMi" % rng.choice([256, 512, 1024])]
        privileged = rng.random() < 0.04
        dep += ["          securityContext:",
                "            allowPrivilegeEscalation: %s" % b(privileged),
                "            readOnlyRootFilesystem: %s" % b(rng.random() < 0.7)]
        if privileged:
            dep.append("            privileged: true")
        else:
            dep += ["            capabilities:", "              drop: [\"ALL\"]"]

    n_docs = rng.randint(2, 5)
    docs = [dep, svc, cm, sa, hpa][:n_docs]
    if rng.random() < 0.5 and n_docs >= 3:
        docs = [docs[2]] + docs[:2] + docs[3:]  # ConfigMap first, as kustomize sorts
    text = "\n---\n".join("\n".join(d) for d in docs) + "\n"
    if rng.random() < 0.3:
        text = "---\n" + text
    return text


# --------------------------------------------------------------------------
# Filler
# --------------------------------------------------------------------------

GITIGNORE = """\
# Salesforce CLI and editor state
.sfdx/
.sf/
.localdevserver/
.vscode/
*.log
# local build and retrieve output
ignored/
"""


def filler(rng, i, width):
    """Returns (relative path, bytes, category)."""
    tag = str(i).zfill(width)
    k = i % 6
    if k == 0:
        where = rng.choice(["", "docs/", "repos/%s-%s/" % (rng.choice(REPO_STEMS), tag),
                            "k8s/%s-%s/" % (rng.choice(K8S_APPS), tag)])
        name = "README.md" if where and not where.startswith("docs") else "guide-%s.md" % tag
        body = ["# %s" % sentence(rng, 2, 5), ""]
        for _ in range(rng.randint(3, 30)):
            body.append(sentence(rng, 8, 25))
            if rng.random() < 0.3:
                body += ["", "```sh", "sf project deploy start --source-dir force-app", "```", ""]
        return where + name, ("\n".join(body) + "\n").encode(), "filler"
    if k == 1:
        comp = rng.choice(["invoiceList", "caseViewer", "portalHeader", "searchBox", "util"])
        lines = ["import { LightningElement, api, wire } from 'lwc';",
                 "import getRecords from '@salesforce/apex/%s.getRecords';" % rng.choice(["InvoiceController", "CaseSelector"]),
                 "", "export default class %s extends LightningElement {" % comp.capitalize()]
        for j in range(rng.randint(5, 120)):
            lines.append("    @api prop%d: string = '%s';" % (j, rng.choice(WORDS)))
        lines.append("}")
        return "web/src/%s/%s-%s.ts" % (comp, comp, tag), ("\n".join(lines) + "\n").encode(), "filler"
    if k == 2:
        n = rng.randint(1000, 30000)
        data = b"\x89PNG\r\n\x1a\n" + rng.getrandbits(8 * n).to_bytes(n, "little")
        return "assets/img/banner-%s.png" % tag, data, "filler"
    if k == 3:
        pkg = rng.choice(NODE_PKGS)
        doc = {"name": pkg, "version": "%d.%d.%d" % (rng.randint(0, 9), rng.randint(0, 20), rng.randint(0, 9)),
               "description": sentence(rng), "main": "index.js", "license": "MIT",
               "repository": {"type": "git", "url": "https://github.com/example/%s.git" % pkg},
               "files": ["index.js", "index.d.ts"], "engines": {"node": ">=14"}}
        return "node_modules/%s-%s/package.json" % (pkg, tag), (json.dumps(doc, indent=2) + "\n").encode(), "filler"
    # k in (4, 5): files under ignored/, which the root .gitignore excludes.
    # Some are real-looking Salesforce metadata, so a walker that ignores
    # .gitignore would visibly do more work (and may report more findings).
    if k == 4:
        name = "%s %s" % (rng.choice(PROFILE_ROLES), tag)
        return ("ignored/retrieve/profiles/%s.profile-meta.xml" % name,
                profile(rng, guest=rng.random() < 0.5, violation=True).encode(), "ignored")
    lines = ["%s INFO deploy %s" % (tag, sentence(rng, 5, 15)) for _ in range(rng.randint(10, 200))]
    return "ignored/logs/deploy-%s.log" % tag, ("\n".join(lines) + "\n").encode(), "ignored"


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def allocate(n):
    """How many files of each kind; sums to n."""
    n_filler = int(round(n * FILLER_FRACTION)) if n >= len(KINDS) + 1 else 0
    rest = n - n_filler
    counts = {k: rest // len(KINDS) for k in KINDS}
    for k in KINDS[: rest % len(KINDS)]:
        counts[k] += 1
    counts["filler"] = n_filler
    return counts


def generate(out_dir, n, seed):
    counts = allocate(n)
    width = max(4, len(str(n)))
    files = []  # (relpath, bytes, category)

    # Profiles. Names are unique (index suffix); some contain characters that
    # Salesforce URL-encodes in file names, as real retrieves do.
    guests_seen = 0
    for kind, path_fmt in (("profile_source", "force-app/main/default/profiles/%s.profile-meta.xml"),
                           ("profile_mdapi", "src/profiles/%s.profile")):
        for i in range(counts[kind]):
            rng = file_rng(seed, kind, i)
            tag = "%s%s" % ("S" if kind == "profile_source" else "M", str(i).zfill(width))
            guest = rng.random() < 0.10
            if guest:
                stem = rng.choice(SITE_STEMS).replace("_", " ")
                name = "%s %s Profile" % (stem, tag)
                # about 5% of guest profiles grant viewAllRecords; the first
                # guest profile always does, so every corpus has a finding.
                violation = guests_seen == 0 or rng.random() < 0.05
                guests_seen += 1
            else:
                role = rng.choice(PROFILE_ROLES)
                name = ("Custom%%3A %s %s" if rng.random() < 0.15 else "%s %s") % (role, tag)
                violation = False
            files.append((path_fmt % name, profile(rng, guest, violation).encode(), kind))

    for i in range(counts["permissionset"]):
        rng = file_rng(seed, "permissionset", i)
        stem = rng.choice(CUSTOM_STEMS)
        role = rng.choice(["Manager", "Viewer", "Editor", "Admin", "Integration", "Approver"])
        api = "%s_%s_%s" % (stem, role, str(i).zfill(width))
        files.append(("force-app/main/default/permissionsets/%s.permissionset-meta.xml" % api,
                      permission_set(rng, "%s %s" % (stem.replace("_", " "), role)).encode(), "permissionset"))

    for i in range(counts["site"]):
        rng = file_rng(seed, "site", i)
        name = "%s_%s" % (rng.choice(SITE_STEMS), str(i).zfill(width))
        files.append(("force-app/main/default/sites/%s.site-meta.xml" % name,
                      custom_site(rng, name, i).encode(), "site"))

    n_repos = max(counts["settings_yml"], counts["branch_json"])
    for i in range(n_repos):
        rng = file_rng(seed, "repo", i)
        repo = "%s-%s" % (rng.choice(REPO_STEMS), str(i).zfill(width))
        if i < counts["settings_yml"]:
            files.append(("repos/%s/.github/settings.yml" % repo,
                          settings_yml(file_rng(seed, "settings_yml", i), repo).encode(), "settings_yml"))
        if i < counts["branch_json"]:
            files.append(("repos/%s/.github/branch-protection/main.json" % repo,
                          branch_json(file_rng(seed, "branch_json", i), repo).encode(), "branch_json"))

    for i in range(counts["k8s"]):
        rng = file_rng(seed, "k8s", i)
        app = "%s-%s" % (rng.choice(K8S_APPS), str(i).zfill(width))
        ns = rng.choice(["shop", "payments", "platform", "default", "web"])
        files.append(("k8s/%s/manifests.yaml" % app, k8s_manifests(rng, app, ns).encode(), "k8s"))

    if counts["filler"]:
        files.append((".gitignore", GITIGNORE.encode(), "filler"))
        for i in range(counts["filler"] - 1):
            files.append(filler(file_rng(seed, "filler", i), i, width))

    seen = set()
    for rel, _, _ in files:
        if rel in seen:
            raise SystemExit("internal error: duplicate path %s" % rel)
        seen.add(rel)
    assert len(files) == n, (len(files), n)

    total = 0
    per_kind = {}
    for rel, data, cat in files:
        path = os.path.join(out_dir, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        total += len(data)
        per_kind[cat] = per_kind.get(cat, 0) + 1
    return total, per_kind


def big_guest_profile(out_dir, lines, seed):
    """One guest profile of about `lines` lines, in metadata-API format: the worst case of
    a single file for the Salesforce pack (every entry of it is selected by some policy)."""
    rng = random.Random(seed)
    objects = ["Account", "Contact", "Case", "Lead"] + ["Obj%04d__c" % i for i in range(4000)]
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<Profile xmlns="http://soap.sforce.com/2006/04/metadata">']
    i = 0
    while len(parts) < lines - 3:
        obj = objects[i % len(objects)]
        i += 1
        if i % 3 == 0:
            parts += ["    <objectPermissions>",
                      "        <allowRead>%s</allowRead>" % b(rng.random() < 0.5),
                      "        <object>%s</object>" % obj,
                      "        <viewAllRecords>%s</viewAllRecords>" % b(rng.random() < 0.01),
                      "    </objectPermissions>"]
        elif i % 3 == 1:
            field = rng.choice(["Email__c", "Phone__c", "Price__c", "Notes__c", "Status__c"])
            parts += ["    <fieldPermissions>",
                      "        <editable>false</editable>",
                      "        <field>%s.%s</field>" % (obj, field),
                      "        <readable>%s</readable>" % b(rng.random() < 0.3),
                      "    </fieldPermissions>"]
        else:
            parts += ["    <classAccesses>",
                      "        <apexClass>Controller%05d</apexClass>" % i,
                      "        <enabled>%s</enabled>" % b(rng.random() < 0.5),
                      "    </classAccesses>"]
    parts += ["    <userLicense>Guest User License</userLicense>", "</Profile>", ""]
    folder = os.path.join(out_dir, "src", "profiles")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "Big Guest.profile")
    text = "\n".join(parts)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return len(parts) - 1, len(text.encode("utf-8"))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate a deterministic doublecheck benchmark corpus.")
    ap.add_argument("out_dir", metavar="OUT_DIR")
    ap.add_argument("--files", type=int, default=5000, metavar="N", help="number of files (default 5000)")
    ap.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    ap.add_argument("--profile-lines", type=int, metavar="L",
                    help="instead of a mixed tree, write one guest profile of about L lines")
    args = ap.parse_args(argv)
    if args.files < 1:
        ap.error("--files must be at least 1")
    if os.path.exists(args.out_dir):
        if not os.path.isdir(args.out_dir) or os.listdir(args.out_dir):
            ap.error("%s exists and is not an empty directory" % args.out_dir)
    os.makedirs(args.out_dir, exist_ok=True)
    if args.profile_lines:
        lines, size = big_guest_profile(args.out_dir, args.profile_lines, args.seed)
        print("generated one guest profile of %d lines, %d bytes in %s (seed %d)"
              % (lines, size, args.out_dir, args.seed))
        return 0
    total, per_kind = generate(args.out_dir, args.files, args.seed)
    order = KINDS + ["filler", "ignored"]
    kinds = " ".join("%s=%d" % (k, per_kind[k]) for k in order if k in per_kind)
    print("generated %d files, %d bytes (%.1f MB) in %s (seed %d): %s"
          % (args.files, total, total / 1e6, args.out_dir, args.seed, kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
