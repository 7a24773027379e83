#!/usr/bin/env python3
"""Deterministic benchmark corpus generator for doublecheck.

Usage:
    python3 bench/generate.py OUT_DIR [--files N] [--bytes SIZE] [--seed S]
                              [--mix mixed|terraform|k8s-cfn|cloudformation|salesforce-org]
    python3 bench/generate.py OUT_DIR --profile-lines L [--seed S]
    python3 bench/generate.py OUT_DIR --rules-lines L [--seed S]
    python3 bench/generate.py OUT_DIR --supabase-migrations N [--seed S]

Writes exactly N files under OUT_DIR, laid out like an organisation's repositories
checked out side by side (repos/<repo>/, about one per 300 files), each with one .github/
and a mix of what doublecheck reads:

  Terraform       infra/terraform/modules/<m>/{main,variables,outputs,versions}.tf, some
                  terraform.tfvars and policies.tf.json; envs/<env>/ (module calls,
                  terraform.tfvars, some plan.json from `terraform show -json`);
                  github/ and gitlab/ provider folders
  Kubernetes      k8s/<app>/*.yaml, multi-document
  CloudFormation  infra/cloudformation/<stack>/template.yaml (short-form tags),
                  template.json, stack.template
  Salesforce      salesforce/<project>/force-app/main/default/{profiles,permissionsets,
                  classes,sites,networks,experiences,sharingRules,settings}/, src/profiles/
                  (metadata-API format), cumulusci.yml, scripts/apex/*.apex
  GitHub          .github/{settings.yml,CODEOWNERS,rulesets/*.json,workflows/ci.yml},
                  audit/branch-protection/main.json; site/static/admin/config.yml (Decap)
  data            data/exports/*.csv|tsv|xlsx, judged by name
  filler          README.md, docs, TypeScript, PNG-like bytes, node_modules/*/package.json
  ignored         ignored/ (listed in the root .gitignore)

--mix terraform, k8s-cfn and cloudformation write only those kinds (no .github/, no
filler), for comparisons with tools that read only them. --mix salesforce-org writes one
large Salesforce org in SFDX source format instead (bench/sforg.py). --bytes scales the size of every
file so the tree comes to about SIZE in total.

The output depends only on the arguments: every file is generated from its own
random.Random seeded with a string derived from (seed, kind, index), only order-stable
operations are used, and files are written with "\\n" line endings in UTF-8. Python
standard library only.
"""

import argparse
import json
import math
import os
import random
import sys

NS = "http://soap.sforce.com/2006/04/metadata"
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'

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


def profile(rng, guest, violation, scale=1.0):
    """A Profile of roughly 5 to 60 KB (times `scale`)."""
    target = log_uniform(rng, 5000, 60000) * scale
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


def permission_set(rng, label, scale=1.0, guest=False):
    """A PermissionSet of roughly 0.5 to 5 KB (times `scale`)."""
    target = log_uniform(rng, 500, 5000) * scale
    out = [XML_DECL, '<PermissionSet xmlns="%s">\n' % NS]
    classes = rng.sample([pascal(s) + suf for s in CUSTOM_STEMS for suf in CLASS_SUFFIXES],
                         rng.choice([0, 0, 1, 2, 4]))
    for c in sorted(classes):
        out.append(sf_element("classAccesses", [("apexClass", c), ("enabled", "true")]))
    description = sentence(rng)
    if not guest:  # "guest" in a description makes it guest access (salesforce.guest-permission-sets)
        description = description.replace("guest", "partner").replace("Guest", "Partner")
    out.append("    <description>%s</description>\n" % xml_escape(description))
    objects = rng.sample(ALL_OBJECTS, rng.randint(0, 4))
    n_fields = rng.randint(1, 12)
    fields = set()
    size = 600 + 300 * len(objects) + 90 * len(classes)
    attempts = 0
    while (len(fields) < n_fields or size < target) and attempts < 20000:
        attempts += 1
        obj = rng.choice(objects) if objects and rng.random() < 0.7 else rng.choice(ALL_OBJECTS)
        f = field_name(rng, obj)
        if f not in fields:
            fields.add(f)
            size += 150
    for f in sorted(fields):
        out.append(field_permission(rng, f, guest=guest))
    out.append("    <hasActivationRequired>false</hasActivationRequired>\n")
    out.append("    <label>%s</label>\n" % xml_escape(label))
    if rng.random() < 0.2:
        out.append("    <license>Salesforce</license>\n")
    for o in sorted(objects):
        out.append(object_permission(rng, o, guest=guest))
    perms = rng.sample(GUEST_USER_PERMISSIONS if guest else USER_PERMISSIONS, rng.randint(0, 4 if guest else 6))
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


def settings_yml(rng, repo, force_zero=False):
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
        count = 0 if rng.random() < 0.15 or force_zero else rng.choice([1, 1, 1, 2, 2, 3])
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

def k8s_manifests(rng, app, ns, scale=1.0, violation=False):
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
        privileged = rng.random() < 0.04 or (violation and ci == 0)
        dep += ["          securityContext:",
                "            allowPrivilegeEscalation: %s" % b(privileged),
                "            readOnlyRootFilesystem: %s" % b(rng.random() < 0.7)]
        if privileged:
            dep.append("            privileged: true")
        else:
            dep += ["            capabilities:", "              drop: [\"ALL\"]"]

    target = log_uniform(rng, 1500, 9000) * scale
    n_docs = rng.randint(2, 5)
    docs = [dep, svc, cm, sa, hpa][:n_docs]
    if rng.random() < 0.5 and n_docs >= 3:
        docs = [docs[2]] + docs[:2] + docs[3:]  # ConfigMap first, as kustomize sorts
    size = sum(len(l) + 1 for d in docs for l in d)
    j = 0
    while size < target:
        extra = k8s_extra(rng, app, ns, j, labels)
        docs.append(extra)
        size += sum(len(l) + 1 for l in extra)
        j += 1
    text = "\n---\n".join("\n".join(d) for d in docs) + "\n"
    if rng.random() < 0.3:
        text = "---\n" + text
    return text



def k8s_extra(rng, app, ns, j, labels):
    """One more document for a bigger manifest file: what a chart adds around its workload."""
    k = rng.randrange(5)
    name = "%s-%s-%d" % (app, ["sync", "report", "cleanup", "export", "reindex"][k], j)
    meta = ["metadata:", "  name: %s" % name, "  namespace: %s" % ns, "  labels:"] + ["    " + l for l in labels]
    if k == 0:
        doc = ["apiVersion: batch/v1", "kind: CronJob"] + meta + [
            "spec:",
            '  schedule: "%d %d * * *"' % (rng.randint(0, 59), rng.randint(0, 23)),
            "  concurrencyPolicy: Forbid",
            "  successfulJobsHistoryLimit: 3",
            "  jobTemplate:",
            "    spec:",
            "      backoffLimit: 2",
            "      template:",
            "        spec:",
            "          restartPolicy: OnFailure",
            "          serviceAccountName: %s" % app,
            "          containers:",
            "            - name: job",
            "              image: registry.example.com/shop/%s-jobs:%d.%d.%d" % (app, rng.randint(0, 3), rng.randint(0, 40), rng.randint(0, 9)),
            '              args: ["--task", "%s", "--batch-size", "%d"]' % (name, rng.choice([100, 500, 1000])),
            "              resources:",
            "                requests: {cpu: 50m, memory: 64Mi}",
            "                limits: {cpu: 250m, memory: 256Mi}",
            "              securityContext:",
            "                allowPrivilegeEscalation: false",
            "                readOnlyRootFilesystem: true",
        ]
        if rng.random() < 0.05:
            doc += ["              volumeMounts:", "                - {name: host-logs, mountPath: /host/var/log, readOnly: true}",
                    "          volumes:", "            - name: host-logs", "              hostPath:",
                    "                path: /var/run/docker.sock" if rng.random() < 0.5 else "                path: /var/log"]
        return doc
    if k == 1:
        doc = ["apiVersion: networking.k8s.io/v1", "kind: NetworkPolicy"] + meta + [
            "spec:", "  podSelector:", "    matchLabels:", "      app.kubernetes.io/name: %s" % app,
            "  policyTypes: [Ingress, Egress]", "  ingress:", "    - from:"]
        for peer in rng.sample(["frontend", "gateway", "monitoring", "ingress-nginx", "jobs"], rng.randint(1, 4)):
            doc += ["        - namespaceSelector:", "            matchLabels:",
                    "              kubernetes.io/metadata.name: %s" % peer]
        doc += ["      ports:", "        - {protocol: TCP, port: %d}" % rng.choice([80, 8080, 9090]),
                "  egress:", "    - to:", "        - ipBlock:", "            cidr: 10.0.0.0/8",
                "      ports:", "        - {protocol: TCP, port: 5432}", "        - {protocol: UDP, port: 53}"]
        return doc
    if k == 2:
        return ["apiVersion: policy/v1", "kind: PodDisruptionBudget"] + meta + [
            "spec:", "  minAvailable: %d" % rng.randint(1, 2), "  selector:", "    matchLabels:",
            "      app.kubernetes.io/name: %s" % app]
    if k == 3:
        host = "%s.%s.example.com" % (app, ns)
        return ["apiVersion: networking.k8s.io/v1", "kind: Ingress"] + meta[:3] + [
            "  annotations:",
            "    cert-manager.io/cluster-issuer: letsencrypt",
            '    nginx.ingress.kubernetes.io/proxy-body-size: "%dm"' % rng.choice([1, 8, 50]),
            "spec:", "  ingressClassName: nginx", "  tls:", "    - hosts: [%s]" % host,
            "      secretName: %s-tls" % name, "  rules:", "    - host: %s" % host, "      http:",
            "        paths:", "          - path: /", "            pathType: Prefix", "            backend:",
            "              service:", "                name: %s" % app, "                port: {number: 80}"]
    doc = ["apiVersion: v1", "kind: ConfigMap"] + meta + ["data:"]
    for i in range(rng.randint(5, 40)):
        doc.append('  %s_%d: "%s"' % (rng.choice(["feature", "limit", "endpoint", "timeout", "flag"]), i,
                                      rng.choice(["true", "false", "250", "https://api.example.com/v2", "eu-west-1"])))
    return doc

# --------------------------------------------------------------------------
# Salesforce: the rest of a project
# --------------------------------------------------------------------------

APEX_TYPES = ["Account", "Contact", "Case", "Opportunity", "Lead", "Order", "Invoice__c",
              "Shipment__c", "Payment__c", "Member__c"]


def apex_class(rng, name, sharing, scale=1.0):
    """An Apex class of roughly 1 to 15 KB (times `scale`): a sharing declaration, SOQL,
    comments and string literals that mention sharing (which the lexer must skip)."""
    target = log_uniform(rng, 1000, 15000) * scale
    sobj = rng.choice(APEX_TYPES)
    decl = {"with": "with sharing ", "without": "without sharing ", "inherited": "inherited sharing ",
            None: ""}[sharing]
    L = ["/**",
         " * %s" % sentence(rng, 6, 14),
         " * Note: this comment says without sharing, which is not a declaration.",
         " */",
         "public %s%sclass %s {" % ("virtual " if rng.random() < 0.1 else "", decl, name),
         "    private static final String LOG_PREFIX = '[%s] without sharing is not a keyword here';" % name,
         "    @TestVisible private static Integer pageSize = %d;" % rng.choice([25, 50, 200]),
         ""]
    size = sum(len(l) + 1 for l in L)
    m = 0
    while size < target or m < 2:
        kind = rng.randrange(4)
        field = rng.choice(FIELD_STEMS)
        if kind == 0:
            body = ["    @AuraEnabled(cacheable=true)",
                    "    public static List<%s> get%sRecords(Id parentId) {" % (sobj, pascal(field) + str(m)),
                    "        return [",
                    "            SELECT Id, Name, %s__c, CreatedDate" % field,
                    "            FROM %s" % sobj,
                    "            WHERE ParentId__c = :parentId",
                    "            WITH USER_MODE",
                    "            ORDER BY CreatedDate DESC",
                    "            LIMIT :pageSize",
                    "        ];",
                    "    }"]
        elif kind == 1:
            body = ["    public static void update%s%d(List<%s> records) {" % (pascal(field), m, sobj),
                    "        for (%s r : records) {" % sobj,
                    "            if (r.%s__c == null) {" % field,
                    "                r.%s__c = '%s';" % (field, rng.choice(WORDS)),
                    "            }",
                    "        }",
                    "        Database.SaveResult[] results = Database.update(records, false, AccessLevel.USER_MODE);",
                    "        for (Database.SaveResult sr : results) {",
                    "            if (!sr.isSuccess()) {",
                    "                System.debug(LoggingLevel.WARN, LOG_PREFIX + sr.getErrors()[0].getMessage());",
                    "            }",
                    "        }",
                    "    }"]
        elif kind == 2:
            body = ["    // %s" % sentence(rng, 5, 12),
                    "    public static Map<Id, %s> index%d(List<%s> rows) {" % (sobj, m, sobj),
                    "        Map<Id, %s> byId = new Map<Id, %s>();" % (sobj, sobj),
                    "        for (%s row : rows) {" % sobj,
                    "            byId.put(row.Id, row);",
                    "        }",
                    "        return byId;",
                    "    }"]
        else:
            inner_sharing = rng.choice(["with sharing ", "inherited sharing ", ""])
            body = ["    public %sclass Page%d {" % (inner_sharing, m),
                    "        @AuraEnabled public Integer total;",
                    "        @AuraEnabled public List<%s> rows;" % sobj,
                    "        public Page%d(List<%s> rows) {" % (m, sobj),
                    "            this.rows = rows;",
                    "            this.total = rows.size();",
                    "        }",
                    "    }"]
        body.append("")
        L += body
        size += sum(len(l) + 1 for l in body)
        m += 1
    L.append("}")
    return "\n".join(L) + "\n"


def apex_class_meta(rng):
    return (XML_DECL + '<ApexClass xmlns="%s">\n' % NS
            + "    <apiVersion>%s.0</apiVersion>\n" % rng.choice(["58", "59", "60", "61", "62", "64"])
            + "    <status>Active</status>\n</ApexClass>\n")


def sharing_rules(rng, obj, site_names, scale=1.0, violation=False):
    """`<Object>.sharingRules`: criteria and owner rules, and guest rules for the sites."""
    target = log_uniform(rng, 800, 6000) * scale
    rules = []
    size = 200
    i = 0
    while size < target or i == 0:
        guest = site_names and (i == 0 or rng.random() < 0.3)
        name = "%s_rule_%d" % (obj.replace("__c", ""), i)
        if guest:
            access = "Edit" if (violation and i == 0) or rng.random() < 0.03 else "Read"
            crit_field = rng.choice(["Status__c", "Is_Public__c", "Region__c"])
            r = ["    <sharingGuestRules>",
                 "        <fullName>%s_guest</fullName>" % name,
                 "        <accessLevel>%s</accessLevel>" % access,
                 "        <label>%s guest</label>" % name.replace("_", " "),
                 "        <sharedTo>",
                 "            <guestUser>%s</guestUser>" % rng.choice(site_names),
                 "        </sharedTo>",
                 "        <criteriaItems>",
                 "            <field>%s</field>" % crit_field,
                 "            <operation>equals</operation>",
                 "            <value>%s</value>" % rng.choice(["Published", "true", "EMEA"]),
                 "        </criteriaItems>",
                 "        <includeHVUOwnedRecords>false</includeHVUOwnedRecords>",
                 "    </sharingGuestRules>"]
        elif rng.random() < 0.5:
            r = ["    <sharingCriteriaRules>",
                 "        <fullName>%s</fullName>" % name,
                 "        <accessLevel>%s</accessLevel>" % rng.choice(["Read", "Edit"]),
                 "        <label>%s</label>" % name.replace("_", " "),
                 "        <sharedTo>",
                 "            <role>%s</role>" % rng.choice(PROFILE_ROLES).replace(" ", "_"),
                 "        </sharedTo>",
                 "        <criteriaItems>",
                 "            <field>OwnerId</field>",
                 "            <operation>notEqual</operation>",
                 "            <value></value>",
                 "        </criteriaItems>",
                 "        <includeRecordsOwnedByAll>true</includeRecordsOwnedByAll>",
                 "    </sharingCriteriaRules>"]
        else:
            r = ["    <sharingOwnerRules>",
                 "        <fullName>%s</fullName>" % name,
                 "        <accessLevel>Read</accessLevel>",
                 "        <label>%s</label>" % name.replace("_", " "),
                 "        <sharedTo>",
                 "            <group>%s</group>" % rng.choice(["All_Partners", "Support_Team", "Finance"]),
                 "        </sharedTo>",
                 "        <sharedFrom>",
                 "            <roleAndSubordinates>%s</roleAndSubordinates>" % rng.choice(PROFILE_ROLES).replace(" ", "_"),
                 "        </sharedFrom>",
                 "    </sharingOwnerRules>"]
        rules.append(r)
        size += sum(len(l) + 1 for l in r)
        i += 1
    # The Metadata API writes criteria rules, then guest rules, then owner rules.
    order = {"<sharingCriteriaRules>": 0, "<sharingGuestRules>": 1, "<sharingOwnerRules>": 2}
    rules.sort(key=lambda r: order[r[0].strip()])
    return (XML_DECL + '<SharingRules xmlns="%s">\n' % NS
            + "".join("\n".join(r) + "\n" for r in rules) + "</SharingRules>\n")


def network(rng, site, self_reg_profile):
    el = [("allowInternalUserLogin", "false"), ("allowMembersToFlag", "false"),
          ("changePasswordTemplate", "unfiled$public/CommunityChangePasswordEmailTemplate"),
          ("description", xml_escape(sentence(rng))),
          ("emailSenderAddress", "noreply@example.com"),
          ("emailSenderName", site.replace("_", " ")),
          ("enableGuestChatter", "false"), ("enableGuestFileAccess", b(rng.random() < 0.3)),
          ("enableInvitation", "false"), ("enableKnowledgeable", "false"),
          ("enablePrivateMessages", "false"), ("enableReputation", "false"),
          ("forgotPasswordTemplate", "unfiled$public/CommunityForgotPasswordEmailTemplate")]
    out = [XML_DECL, '<Network xmlns="%s">\n' % NS]
    for k, v in el:
        out.append("    <%s>%s</%s>\n" % (k, v, k))
    out.append(sf_element("networkMemberGroups", [("profile", "admin")]))
    out.append("    <picassoSite>%s1</picassoSite>\n" % site)
    self_reg = rng.random() < 0.3
    if self_reg:
        out.append("    <selfRegProfile>%s</selfRegProfile>\n" % self_reg_profile)
    out.append("    <selfRegistration>%s</selfRegistration>\n" % b(self_reg))
    out.append("    <sendWelcomeEmail>true</sendWelcomeEmail>\n")
    out.append("    <site>%s</site>\n" % site)
    out.append("    <status>%s</status>\n" % rng.choice(["Live", "Live", "UnderConstruction"]))
    out.append("    <urlPathPrefix>%s</urlPathPrefix>\n" % site.lower().replace("_", ""))
    out.append("</Network>\n")
    return "".join(out)


def experience_config(rng, site):
    """Aura `experiences/<site>1/config/<site>.json`, `"type": "site"`."""
    doc = {
        "forgotPasswordRouteId": "%08x-%04x-%04x-%04x-%012x" % tuple(rng.getrandbits(n) for n in (32, 16, 16, 16, 48)),
        "isAvailableToGuests": rng.random() < 0.6,
        "isFilteredComponentsView": False,
        "isProgressiveRenderingEnabled": False,
        "loginAppPageId": "%08x-%04x-%04x-%04x-%012x" % tuple(rng.getrandbits(n) for n in (32, 16, 16, 16, 48)),
        "mainAppPageId": "%08x-%04x-%04x-%04x-%012x" % tuple(rng.getrandbits(n) for n in (32, 16, 16, 16, 48)),
        "preferredDomain": "none",
        "type": "site",
    }
    return json.dumps(doc, indent=4) + "\n"


def sharing_settings(rng, violation):
    out = [XML_DECL, '<SharingSettings xmlns="%s">\n' % NS]
    out.append("    <enableAccountRoleOptimization>true</enableAccountRoleOptimization>\n")
    out.append("    <enableAssetSharing>%s</enableAssetSharing>\n" % b(rng.random() < 0.5))
    out.append("    <enableExternalSharingModel>true</enableExternalSharingModel>\n")
    out.append("    <enableManagerGroups>%s</enableManagerGroups>\n" % b(rng.random() < 0.3))
    out.append("    <enableManualUserRecordSharing>false</enableManualUserRecordSharing>\n")
    out.append("    <enablePartnerSuperUserAccess>false</enablePartnerSuperUserAccess>\n")
    out.append("    <enablePortalUserCaseSharing>false</enablePortalUserCaseSharing>\n")
    out.append("    <enablePortalUserVisibility>false</enablePortalUserVisibility>\n")
    out.append("    <enableRemoveTMGroupMembership>true</enableRemoveTMGroupMembership>\n")
    out.append("    <enableSecureGuestAccess>%s</enableSecureGuestAccess>\n" % b(not violation))
    out.append("    <enableStandardReportVisibility>true</enableStandardReportVisibility>\n")
    out.append("    <enableTerritoryForecastManager>false</enableTerritoryForecastManager>\n")
    out.append("</SharingSettings>\n")
    return "".join(out)


def anonymous_apex(rng, site, permset):
    lines = ["// %s" % sentence(rng, 5, 10)]
    if permset:
        lines += ["Site site = [SELECT GuestUserId FROM Site WHERE Name = '%s'];" % site,
                  "PermissionSet ps = [SELECT Id FROM PermissionSet WHERE Name = '%s'];" % permset,
                  "insert new PermissionSetAssignment(AssigneeId = site.GuestUserId, PermissionSetId = ps.Id);"]
    else:
        lines += ["List<Account> accounts = new List<Account>();",
                  "for (Integer i = 0; i < %d; i++) {" % rng.choice([10, 50, 200]),
                  "    accounts.add(new Account(Name = 'Sample ' + i, Industry = '%s'));" % rng.choice(["Retail", "Energy", "Media"]),
                  "}",
                  "insert accounts;",
                  "System.debug('created ' + accounts.size() + ' accounts');"]
    return "\n".join(lines) + "\n"


def cumulusci_yml(rng, project, site, permset):
    L = ["minimum_cumulusci_version: \"3.84.0\"",
         "project:",
         "    name: %s" % project,
         "    package:",
         "        name: %s" % project,
         "        api_version: \"%s.0\"" % rng.choice(["60", "61", "62"]),
         "    source_format: sfdx",
         "",
         "tasks:",
         "    robot:",
         "        options:",
         "            suites: robot/%s/tests" % project,
         "            options:",
         "                outputdir: robot/%s/results" % project,
         "    deploy_site_config:",
         "        description: Deploys the site configuration",
         "        class_path: cumulusci.tasks.salesforce.Deploy",
         "        options:",
         "            path: unpackaged/config/site"]
    if permset:
        L += ["    assign_guest_permissions:",
              "        description: Lets site visitors use the public pages",
              "        class_path: cumulusci.tasks.apex.anon.AnonymousApexTask",
              "        options:",
              "            apex: >",
              "                Site s = [SELECT GuestUserId FROM Site WHERE Name = '%s'];" % site,
              "                insert new PermissionSetAssignment(AssigneeId = s.GuestUserId,",
              "                    PermissionSetId = [SELECT Id FROM PermissionSet WHERE Name = '%s'].Id);" % permset]
    L += ["",
          "flows:",
          "    config_dev:",
          "        steps:",
          "            3:",
          "                task: deploy_site_config",
          "    config_qa:",
          "        steps:",
          "            3:",
          "                task: load_sample_data",
          "",
          "orgs:",
          "    scratch:",
          "        dev:",
          "            config_file: orgs/dev.json",
          "            days: 7"]
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------
# GitHub: the rest of a repository's .github/, and Decap CMS
# --------------------------------------------------------------------------

def codeowners(rng, repo, violation):
    L = ["# Code owners of %s. The last matching pattern takes precedence." % repo, ""]
    L.append("*                     @%s/%s" % (OWNER, rng.choice(TEAMS)))
    paths = ["/infra/", "/k8s/", "/salesforce/", "/docs/", "/.github/", "/content/", "*.tf", "/site/static/"]
    for p in rng.sample(paths, rng.randint(2, len(paths))):
        owners = rng.sample(["@%s/%s" % (OWNER, t) for t in TEAMS] + ["@" + u for u in USERS], rng.randint(1, 3))
        L.append("%-21s %s" % (p, " ".join(owners)))
    if violation:
        L.append("/static/              %s/web-team   # the @ is missing" % OWNER)
    return "\n".join(L) + "\n"


def ruleset_json(rng, name, violation):
    count = 0 if violation or rng.random() < 0.1 else rng.choice([1, 1, 2])
    doc = {
        "id": rng.randint(1000, 999999),
        "name": name,
        "target": "branch",
        "source_type": "Repository",
        "source": "%s/%s" % (OWNER, name),
        "enforcement": rng.choice(["active", "active", "active", "evaluate"]),
        "conditions": {"ref_name": {"exclude": [], "include": [rng.choice(["~DEFAULT_BRANCH", "refs/heads/release/*", "~ALL"])]}},
        "rules": [
            {"type": "deletion"},
            {"type": "non_fast_forward"},
            {"type": "pull_request", "parameters": {
                "required_approving_review_count": count,
                "dismiss_stale_reviews_on_push": rng.random() < 0.7,
                "require_code_owner_review": rng.random() < 0.5,
                "require_last_push_approval": rng.random() < 0.3,
                "required_review_thread_resolution": rng.random() < 0.4}},
            {"type": "required_status_checks", "parameters": {
                "strict_required_status_checks_policy": True,
                "required_status_checks": [{"context": c} for c in rng.sample(CI_CONTEXTS, rng.randint(1, 3))]}},
        ],
        "bypass_actors": [],
    }
    if violation or rng.random() < 0.2:
        doc["bypass_actors"].append({"actor_id": 5, "actor_type": "RepositoryRole",
                                     "bypass_mode": rng.choice(["always", "pull_request"])})
    return json.dumps(doc, indent=2) + "\n"


def workflow_yml(rng, repo):
    return "\n".join([
        "name: ci",
        "on:",
        "  pull_request:",
        "  push:",
        "    branches: [main]",
        "permissions:",
        "  contents: read",
        "jobs:",
        "  test:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - uses: actions/setup-node@v4",
        "        with:",
        "          node-version: %d" % rng.choice([18, 20, 22]),
        "      - run: npm ci",
        "      - run: npm test -- --reporter=dot",
        "  plan:",
        "    runs-on: ubuntu-latest",
        "    if: github.event_name == 'pull_request'",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - uses: hashicorp/setup-terraform@v3",
        "      - run: terraform -chdir=infra init -backend=false && terraform -chdir=infra validate",
    ]) + "\n"


def decap_config(rng, repo, violation):
    L = ["backend:",
         "  name: %s" % rng.choice(["git-gateway", "github"]),
         "  branch: %s" % rng.choice(["main", "main", "master", "publish"])]
    if "github" in L[1]:
        L.append("  repo: %s/%s" % (OWNER, repo))
    if not violation and rng.random() < 0.6:
        L.append("publish_mode: editorial_workflow")
    L += ["media_folder: static/images/uploads", "public_folder: /images/uploads",
          "locale: %s" % rng.choice(["en", "ja", "de"]), "", "collections:"]
    for c in rng.sample(["posts", "pages", "news", "notices", "events"], rng.randint(1, 4)):
        L += ["  - name: %s" % c,
              "    label: %s" % c.capitalize(),
              "    folder: content/%s" % c,
              "    create: true",
              '    slug: "{{year}}-{{month}}-{{day}}-{{slug}}"',
              "    fields:",
              "      - {label: Title, name: title, widget: string}",
              "      - {label: Publish Date, name: date, widget: datetime}",
              "      - {label: Body, name: body, widget: markdown}"]
    return "\n".join(L) + "\n"


def settings_environments(rng, violation):
    """Extra `environments:` lines for a safe-settings file."""
    L = ["", "environments:"]
    for env in rng.sample(["production", "staging", "preview", "prod-eu"], rng.randint(1, 3)):
        L.append("  - name: %s" % env)
        if violation or rng.random() < 0.7:
            L += ["    wait_timer: %d" % rng.choice([0, 5, 30]),
                  "    prevent_self_review: %s" % b(not violation and rng.random() < 0.7),
                  "    reviewers:",
                  "      - type: Team",
                  "        id: %d" % rng.randint(100, 999)]
        L += ["    deployment_branch_policy:",
              "      protected_branches: true",
              "      custom_branch_policies: false"]
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------
# Terraform (HCL, JSON syntax, variables, plans)
# --------------------------------------------------------------------------

class Expr(str):
    """An HCL expression written as is (a reference, a call, a heredoc)."""


def hcl_value(v, indent):
    pad = "  " * indent
    if isinstance(v, Expr):
        return str(v)
    if isinstance(v, bool):
        return b(v)
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        if not v:
            return "[]"
        if all(isinstance(x, (str, int)) and not isinstance(x, Expr) for x in v) and len(v) <= 4:
            return "[" + ", ".join(hcl_value(x, 0) for x in v) + "]"
        inner = ["%s  %s," % (pad, hcl_value(x, indent + 1)) for x in v]
        return "[\n" + "\n".join(inner) + "\n" + pad + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{\n" + hcl_attrs(v, indent + 1) + pad + "}"
    raise TypeError(v)


def hcl_key(k):
    return k if all(c.isalnum() or c in "_-" for c in k) and not k[0].isdigit() else json.dumps(k)


def hcl_attrs(d, indent):
    """Attributes (aligned the way terraform fmt aligns a run of one-line values) and
    nested blocks (keys mapped to Block or a list of Block)."""
    pad = "  " * indent
    out = []
    run = []

    def flush():
        if run:
            width = max(len(hcl_key(k)) for k, _ in run)
            for k, v in run:
                out.append("%s%-*s = %s\n" % (pad, width, hcl_key(k), v))
            del run[:]

    for k, v in d.items():
        if isinstance(v, Block) or (isinstance(v, list) and v and all(isinstance(x, Block) for x in v)):
            flush()
            for blk in (v if isinstance(v, list) else [v]):
                out.append("\n" if out else "")
                out.append(blk.render(k, indent))
            continue
        text = hcl_value(v, indent)
        if "\n" in text:
            flush()
            out.append("%s%s = %s\n" % (pad, hcl_key(k), text))
        else:
            run.append((k, text))
    flush()
    return "".join(out)


class Block(object):
    def __init__(self, labels=(), body=None):
        self.labels = list(labels)
        self.body = body or {}

    def render(self, name, indent=0):
        pad = "  " * indent
        head = " ".join([name] + ['"%s"' % l for l in self.labels])
        if not self.body:
            return "%s%s {}\n" % (pad, head)
        return "%s%s {\n%s%s}\n" % (pad, head, hcl_attrs(self.body, indent + 1), pad)


def hcl_file(blocks):
    """blocks: list of (block type, labels, body) or comments (str)."""
    parts = []
    for item in blocks:
        if isinstance(item, str):
            parts.append(item if item.endswith("\n") else item + "\n")
        else:
            kind, labels, body = item
            parts.append(Block(labels, body).render(kind))
    return "\n".join(parts)


AWS_REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-northeast-1"]
ENVS = ["dev", "staging", "prod", "sandbox", "qa"]
TF_MODULE_STEMS = ["network", "storage", "data-lake", "api", "queue", "search", "eks-addons",
                   "observability", "iam-baseline", "bastion", "cdn", "database", "backup",
                   "ingest", "billing", "exports", "artifacts", "identity"]


def tf_bucket_group(rng, name, violation):
    bucket = Expr("aws_s3_bucket.%s.id" % name)
    public = violation
    blocks = [
        ("resource", ["aws_s3_bucket", name], {
            "bucket": Expr('"${var.name_prefix}-%s-${var.environment}"' % name.replace("_", "-")),
            "force_destroy": False,
            "tags": Expr("local.tags")}),
        ("resource", ["aws_s3_bucket_ownership_controls", name], {
            "bucket": bucket,
            "rule": Block(body={"object_ownership": "BucketOwnerPreferred" if public else "BucketOwnerEnforced"})}),
        ("resource", ["aws_s3_bucket_acl", name], {
            "depends_on": Expr("[aws_s3_bucket_ownership_controls.%s]" % name),
            "bucket": bucket,
            "acl": "public-read" if public else "private"}),
        ("resource", ["aws_s3_bucket_public_access_block", name], {
            "bucket": bucket,
            "block_public_acls": not public,
            "block_public_policy": True,
            "ignore_public_acls": not public,
            "restrict_public_buckets": True}),
        ("resource", ["aws_s3_bucket_versioning", name], {
            "bucket": bucket,
            "versioning_configuration": Block(body={"status": rng.choice(["Enabled", "Enabled", "Suspended"])})}),
        ("resource", ["aws_s3_bucket_server_side_encryption_configuration", name], {
            "bucket": bucket,
            "rule": Block(body={
                "bucket_key_enabled": True,
                "apply_server_side_encryption_by_default": Block(body={
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": Expr("var.kms_key_arn")})})}),
    ]
    statements = [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [Expr("aws_s3_bucket.%s.arn" % name), Expr('"${aws_s3_bucket.%s.arn}/*"' % name)],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
    if public and rng.random() < 0.7:
        statements.append({"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                           "Action": ["s3:GetObject"],
                           "Resource": Expr('"${aws_s3_bucket.%s.arn}/*"' % name)})
    else:
        statements.append({"Sid": "AllowCloudFront", "Effect": "Allow",
                           "Principal": {"Service": "cloudfront.amazonaws.com"},
                           "Action": "s3:GetObject",
                           "Resource": Expr('"${aws_s3_bucket.%s.arn}/*"' % name),
                           "Condition": {"StringEquals": {"AWS:SourceArn": Expr("var.distribution_arn")}}})
    blocks.append(("resource", ["aws_s3_bucket_policy", name], {
        "bucket": bucket,
        "policy": Expr("jsonencode(" + hcl_value({"Version": "2012-10-17", "Statement": statements}, 1) + ")")}))
    if rng.random() < 0.5:
        blocks.append(("resource", ["aws_s3_bucket_lifecycle_configuration", name], {
            "bucket": bucket,
            "rule": [Block(body={"id": "expire-%s" % p, "status": "Enabled",
                                 "filter": Block(body={"prefix": "%s/" % p}),
                                 "expiration": Block(body={"days": rng.choice([30, 90, 365])})})
                     for p in rng.sample(["tmp", "logs", "exports", "uploads"], rng.randint(1, 3))]}))
    if violation and rng.random() < 0.5:
        blocks.append(("resource", ["aws_s3_object", name + "_seed"], {
            "bucket": bucket,
            "key": "exports/customers-%d.csv" % rng.randint(2019, 2025),
            "source": Expr('"${path.module}/data/customers.csv"'),
            "acl": "private"}))
    return blocks


def tf_security_group(rng, name, violation):
    ingress = []
    for port in rng.sample([443, 80, 8080, 5432, 6379, 9200, 22], rng.randint(1, 4)):
        open_world = port in (80, 443)
        cidrs = ["0.0.0.0/0"] if open_world else [rng.choice(["10.0.0.0/8", "172.16.0.0/12"])]
        ingress.append(Block(body={"description": "port %d" % port, "from_port": port, "to_port": port,
                                   "protocol": "tcp", "cidr_blocks": cidrs}))
    if violation:
        ingress.append(Block(body={"description": "ssh", "from_port": 22, "to_port": 22,
                                   "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}))
    blocks = [("resource", ["aws_security_group", name], {
        "name_prefix": "%s-" % name.replace("_", "-"),
        "description": "%s traffic" % name.replace("_", " "),
        "vpc_id": Expr("var.vpc_id"),
        "ingress": ingress,
        "egress": Block(body={"from_port": 0, "to_port": 0, "protocol": "-1",
                              "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]}),
        "lifecycle": Block(body={"create_before_destroy": True}),
        "tags": Expr("local.tags")})]
    if rng.random() < 0.6:
        blocks.append(("resource", ["aws_security_group_rule", name + "_from_lb"], {
            "type": "ingress",
            "from_port": Expr("var.container_port"),
            "to_port": Expr("var.container_port"),
            "protocol": "tcp",
            "security_group_id": Expr("aws_security_group.%s.id" % name),
            "source_security_group_id": Expr("var.lb_security_group_id")}))
    return blocks


def tf_iam(rng, name):
    actions = rng.sample(["s3:GetObject", "s3:PutObject", "s3:ListBucket", "sqs:SendMessage",
                          "sqs:ReceiveMessage", "kms:Decrypt", "kms:GenerateDataKey",
                          "logs:CreateLogStream", "logs:PutLogEvents", "dynamodb:GetItem",
                          "dynamodb:Query", "secretsmanager:GetSecretValue"], rng.randint(2, 6))
    heredoc = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": sorted(actions), "Resource": "*"}]}, indent=2)
    heredoc = "\n".join("  " + l if l else l for l in heredoc.splitlines())
    blocks = [
        ("data", ["aws_iam_policy_document", name + "_assume"], {
            "statement": Block(body={
                "effect": "Allow",
                "actions": ["sts:AssumeRole"],
                "principals": Block(body={"type": "Service",
                                          "identifiers": [rng.choice(["ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "ec2.amazonaws.com"])]})})}),
        ("resource", ["aws_iam_role", name], {
            "name": Expr('"${var.name_prefix}-%s"' % name.replace("_", "-")),
            "assume_role_policy": Expr("data.aws_iam_policy_document.%s_assume.json" % name),
            "max_session_duration": 3600,
            "tags": Expr("local.tags")}),
        ("resource", ["aws_iam_policy", name], {
            "name_prefix": "%s-" % name.replace("_", "-"),
            "description": sentence(rng, 3, 8),
            "policy": Expr("<<-EOT\n%s\n  EOT" % heredoc)}),
        ("resource", ["aws_iam_role_policy_attachment", name], {
            "role": Expr("aws_iam_role.%s.name" % name),
            "policy_arn": Expr("aws_iam_policy.%s.arn" % name)}),
    ]
    return blocks


def tf_database(rng, name, violation):
    return [
        ("resource", ["aws_db_subnet_group", name], {
            "name": Expr('"${var.name_prefix}-%s"' % name.replace("_", "-")),
            "subnet_ids": Expr("var.private_subnet_ids"),
            "tags": Expr("local.tags")}),
        ("resource", ["aws_db_instance", name], {
            "identifier": Expr('"${var.name_prefix}-%s"' % name.replace("_", "-")),
            "engine": rng.choice(["postgres", "mysql"]),
            "engine_version": rng.choice(["15.4", "16.1", "8.0.35"]),
            "instance_class": Expr("var.instance_class"),
            "allocated_storage": rng.choice([20, 50, 100]),
            "max_allocated_storage": rng.choice([200, 500]),
            "storage_encrypted": True,
            "kms_key_id": Expr("var.kms_key_arn"),
            "db_subnet_group_name": Expr("aws_db_subnet_group.%s.name" % name),
            "vpc_security_group_ids": Expr("[aws_security_group.%s_db.id]" % name),
            "publicly_accessible": violation,
            "multi_az": Expr('var.environment == "prod"'),
            "backup_retention_period": rng.choice([7, 14, 35]),
            "deletion_protection": True,
            "skip_final_snapshot": False,
            "username": "app",
            "manage_master_user_password": True,
            "performance_insights_enabled": True,
            "tags": Expr("local.tags")}),
    ] + tf_security_group(rng, name + "_db", False)


def tf_misc(rng, name):
    k = rng.randrange(5)
    if k == 0:
        return [("resource", ["aws_sqs_queue", name], {
            "name": Expr('"${var.name_prefix}-%s"' % name.replace("_", "-")),
            "visibility_timeout_seconds": rng.choice([30, 60, 300]),
            "message_retention_seconds": 1209600,
            "kms_master_key_id": Expr("var.kms_key_arn"),
            "redrive_policy": Expr("jsonencode(" + hcl_value({
                "deadLetterTargetArn": Expr("aws_sqs_queue.%s_dlq.arn" % name), "maxReceiveCount": 5}, 1) + ")"),
            "tags": Expr("local.tags")}),
            ("resource", ["aws_sqs_queue", name + "_dlq"], {
                "name": Expr('"${var.name_prefix}-%s-dlq"' % name.replace("_", "-")),
                "sqs_managed_sse_enabled": True})]
    if k == 1:
        return [("resource", ["aws_cloudwatch_log_group", name], {
            "name": Expr('"/aws/${var.name_prefix}/%s"' % name),
            "retention_in_days": rng.choice([14, 30, 90, 365]),
            "kms_key_id": Expr("var.kms_key_arn"),
            "tags": Expr("local.tags")}),
            ("resource", ["aws_cloudwatch_metric_alarm", name + "_errors"], {
                "alarm_name": Expr('"${var.name_prefix}-%s-errors"' % name),
                "comparison_operator": "GreaterThanThreshold",
                "evaluation_periods": 2,
                "metric_name": "Errors",
                "namespace": "AWS/Lambda",
                "period": 300,
                "statistic": "Sum",
                "threshold": rng.choice([1, 5, 10]),
                "alarm_actions": Expr("[var.alarm_topic_arn]"),
                "dimensions": {"FunctionName": Expr("aws_lambda_function.%s.function_name" % name)}})] + tf_misc_lambda(rng, name)
    if k == 2:
        return [("resource", ["aws_kms_key", name], {
            "description": "%s encryption key" % name,
            "deletion_window_in_days": 30,
            "enable_key_rotation": True,
            "tags": Expr("local.tags")}),
            ("resource", ["aws_kms_alias", name], {
                "name": Expr('"alias/${var.name_prefix}-%s"' % name.replace("_", "-")),
                "target_key_id": Expr("aws_kms_key.%s.key_id" % name)})]
    if k == 3:
        return [("resource", ["aws_sns_topic", name], {
            "name": Expr('"${var.name_prefix}-%s"' % name.replace("_", "-")),
            "kms_master_key_id": "alias/aws/sns"}),
            ("resource", ["aws_sns_topic_subscription", name], {
                "for_each": Expr("toset(var.alert_emails)"),
                "topic_arn": Expr("aws_sns_topic.%s.arn" % name),
                "protocol": "email",
                "endpoint": Expr("each.value")})]
    return [("resource", ["aws_launch_template", name], {
        "name_prefix": "%s-" % name.replace("_", "-"),
        "image_id": Expr("data.aws_ami.al2023.id"),
        "instance_type": Expr("var.instance_type"),
        "metadata_options": Block(body={"http_endpoint": "enabled", "http_tokens": "required",
                                        "http_put_response_hop_limit": 1}),
        "block_device_mappings": Block(body={"device_name": "/dev/xvda", "ebs": Block(body={
            "volume_size": rng.choice([20, 50]), "volume_type": "gp3", "encrypted": True})}),
        "user_data": Expr('base64encode(templatefile("${path.module}/user_data.sh", { cluster = var.cluster_name }))'),
        "tag_specifications": Block(body={"resource_type": "instance", "tags": Expr("local.tags")})}),
        ("resource", ["aws_autoscaling_group", name], {
            "name_prefix": "%s-" % name.replace("_", "-"),
            "min_size": rng.randint(1, 2),
            "max_size": rng.randint(3, 12),
            "vpc_zone_identifier": Expr("var.private_subnet_ids"),
            "launch_template": Block(body={"id": Expr("aws_launch_template.%s.id" % name), "version": "$Latest"}),
            "dynamic": Block(["tag"], {"for_each": Expr("local.tags"), "content": Block(body={
                "key": Expr("tag.key"), "value": Expr("tag.value"), "propagate_at_launch": True})})})]


def tf_misc_lambda(rng, name):
    return [("resource", ["aws_lambda_function", name], {
        "function_name": Expr('"${var.name_prefix}-%s"' % name.replace("_", "-")),
        "role": Expr("var.lambda_role_arn"),
        "handler": "index.handler",
        "runtime": rng.choice(["nodejs20.x", "python3.12"]),
        "filename": Expr('"${path.module}/build/%s.zip"' % name),
        "source_code_hash": Expr('filebase64sha256("${path.module}/build/%s.zip")' % name),
        "timeout": rng.choice([10, 30, 60]),
        "memory_size": rng.choice([128, 256, 512]),
        "environment": Block(body={"variables": {"LOG_LEVEL": "info", "TABLE": Expr("var.table_name")}}),
        "tracing_config": Block(body={"mode": "Active"}),
        "tags": Expr("local.tags")})]


TF_VARIABLES = [
    ("name_prefix", "string", None, "Prefix of every resource name"),
    ("environment", "string", None, "Deployment environment"),
    ("vpc_id", "string", None, "VPC to place the resources in"),
    ("private_subnet_ids", "list(string)", [], "Private subnets"),
    ("kms_key_arn", "string", None, "KMS key for encryption at rest"),
    ("tags", "map(string)", {}, "Tags applied to every resource"),
    ("instance_class", "string", "db.t4g.medium", "RDS instance class"),
    ("instance_type", "string", "t3.medium", "EC2 instance type"),
    ("container_port", "number", 8080, "Port the service listens on"),
    ("lb_security_group_id", "string", None, "Security group of the load balancer"),
    ("distribution_arn", "string", None, "CloudFront distribution allowed to read"),
    ("alert_emails", "list(string)", [], "Who gets alarms"),
    ("alarm_topic_arn", "string", None, "SNS topic for alarms"),
    ("lambda_role_arn", "string", None, "Execution role of the functions"),
    ("table_name", "string", "events", "DynamoDB table"),
    ("cluster_name", "string", "main", "Cluster the instances join"),
]


def tf_module_main(rng, module, scale=1.0, violation=False):
    """A module's main.tf: locals, data sources and AWS resources, 2-20 KB (times scale)."""
    target = log_uniform(rng, 2000, 20000) * scale
    blocks = ["# %s module: %s" % (module, sentence(rng, 4, 10))]
    blocks.append(("locals", [], {"tags": Expr("merge(var.tags, {\n    Module      = %s\n    Environment = var.environment\n  })" % json.dumps(module)),
                                  "name": Expr('"${var.name_prefix}-%s"' % module)}))
    blocks.append(("data", ["aws_caller_identity", "current"], {}))
    blocks.append(("data", ["aws_region", "current"], {}))
    size = 400
    i = 0
    while size < target or i == 0:
        k = rng.random()
        name = "%s_%d" % (rng.choice(["assets", "logs", "exports", "events", "app", "reports", "cache", "media"]), i)
        first = violation and i == 0
        if k < 0.3 or first and rng.random() < 0.4:
            new = tf_bucket_group(rng, name, first or rng.random() < 0.004)
        elif k < 0.5 or first:
            new = tf_security_group(rng, name, first or rng.random() < 0.004)
        elif k < 0.65:
            new = tf_iam(rng, name)
        elif k < 0.75:
            new = tf_database(rng, name, rng.random() < 0.004)
        else:
            new = tf_misc(rng, name)
        for blk in new:
            text = Block(blk[1], blk[2]).render(blk[0])
            size += len(text) + 1
        blocks += new
        i += 1
    return hcl_file(blocks)


def tf_variables(rng, scale=1.0):
    target = log_uniform(rng, 800, 4000) * scale
    blocks = []
    size = 0
    pool = list(TF_VARIABLES)
    i = 0
    while size < target or i < 3:
        if i < len(pool):
            name, typ, default, desc = pool[i]
        else:
            name, typ, default, desc = ("%s_%d" % (rng.choice(["enable", "retention", "size", "count"]), i),
                                        rng.choice(["bool", "number", "string"]), None, sentence(rng, 3, 7))
            default = {"bool": rng.random() < 0.5, "number": rng.randint(1, 100), "string": rng.choice(WORDS)}[typ]
        body = {"description": desc, "type": Expr(typ)}
        if default is not None:
            body["default"] = default
        if name == "environment":
            body["validation"] = Block(body={
                "condition": Expr('contains(["dev", "staging", "prod"], var.environment)'),
                "error_message": "environment must be dev, staging or prod."})
        text = Block([name], body).render("variable")
        blocks.append(("variable", [name], body))
        size += len(text) + 1
        i += 1
    return hcl_file(blocks)


def tf_outputs(rng, module):
    blocks = []
    for name in rng.sample(["id", "arn", "name", "security_group_id", "role_arn", "bucket_ids", "endpoint"], rng.randint(1, 5)):
        blocks.append(("output", [name], {
            "description": "The %s of the %s module" % (name.replace("_", " "), module),
            "value": Expr("local.name" if name == "name" else 'try(aws_security_group.app_1.id, null)' if name == "security_group_id" else '"${local.name}-%s"' % name)}))
    return hcl_file(blocks)


def tf_versions(rng):
    return hcl_file([("terraform", [], {
        "required_version": ">= 1.5.0",
        "required_providers": Block(body={"aws": {"source": "hashicorp/aws", "version": ">= %d.0" % rng.choice([4, 5])}})})])


def tf_json_policy(rng, module, scale=1.0, violation=False):
    """A `*.tf.json` file in Terraform's JSON syntax: public access blocks and an IAM policy."""
    target = log_uniform(rng, 600, 3000) * scale
    res = {"aws_s3_bucket_public_access_block": {}, "aws_iam_role_policy": {}}
    size = 0
    i = 0
    while size < target or i == 0:
        name = "%s_%d" % (module.replace("-", "_"), i)
        pab = {"bucket": "${aws_s3_bucket.%s.id}" % name, "block_public_acls": True,
               "block_public_policy": True, "ignore_public_acls": not (violation and i == 0),
               "restrict_public_buckets": True}
        res["aws_s3_bucket_public_access_block"][name] = pab
        res["aws_iam_role_policy"][name] = {
            "name": "%s-inline" % name, "role": "${aws_iam_role.%s.id}" % name,
            "policy": json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::%s/*" % name}]})}
        size += 500
        i += 1
    return json.dumps({"resource": res}, indent=2) + "\n"


def tf_env_main(rng, env, modules):
    blocks = ["# %s environment" % env,
              ("terraform", [], {
                  "backend": Block(["s3"], {"bucket": "acme-terraform-state", "key": "%s/terraform.tfstate" % env,
                                            "region": "eu-west-1", "dynamodb_table": "terraform-locks", "encrypt": True})}),
              ("provider", ["aws"], {"region": Expr("var.region"),
                                     "default_tags": Block(body={"tags": {"Environment": env, "ManagedBy": "terraform"}})})]
    for m in modules:
        blocks.append(("module", [m.replace("-", "_")], {
            "source": "../../modules/%s" % m,
            "name_prefix": Expr('"acme-${var.environment}"'),
            "environment": Expr("var.environment"),
            "vpc_id": Expr("var.vpc_id"),
            "private_subnet_ids": Expr("var.private_subnet_ids"),
            "kms_key_arn": Expr("var.kms_key_arn"),
            "tags": Expr("var.tags")}))
    return hcl_file(blocks)


def tfvars(rng, env):
    return "\n".join([
        'region             = "%s"' % rng.choice(AWS_REGIONS),
        'environment        = "%s"' % env,
        'vpc_id             = "vpc-%012x"' % rng.getrandbits(48),
        'private_subnet_ids = ["subnet-%08x", "subnet-%08x"]' % (rng.getrandbits(32), rng.getrandbits(32)),
        'kms_key_arn        = "arn:aws:kms:eu-west-1:%012d:key/%08x-0000-4000-8000-%012x"' % (rng.randint(10 ** 11, 10 ** 12 - 1), rng.getrandbits(32), rng.getrandbits(48)),
        "tags = {",
        '  Team       = "%s"' % rng.choice(TEAMS),
        '  CostCenter = "%d"' % rng.randint(1000, 9999),
        "}",
    ]) + "\n"


def tf_env_variables():
    return hcl_file([("variable", [n], {"type": Expr(t)}) for n, t in (
        ("region", "string"), ("environment", "string"), ("vpc_id", "string"),
        ("private_subnet_ids", "list(string)"), ("kms_key_arn", "string"), ("tags", "map(string)"))])


def tf_github(rng, repos, scale=1.0, violation=False):
    """github provider: repositories with branch protection, rulesets and environments."""
    target = log_uniform(rng, 2000, 12000) * scale
    blocks = [("terraform", [], {"required_providers": Block(body={"github": {"source": "integrations/github", "version": "~> 6.0"}})}),
              ("provider", ["github"], {"owner": OWNER})]
    size = 300
    i = 0
    while size < target or i == 0:
        repo = repos[i % len(repos)] + ("" if i < len(repos) else "-%d" % i)
        r = repo.replace("-", "_")
        bad = violation and i == 0
        new = [("resource", ["github_repository", r], {
            "name": repo, "description": sentence(rng, 3, 8), "visibility": rng.choice(["private", "internal", "public"]),
            "has_issues": True, "has_wiki": False, "allow_merge_commit": False, "allow_squash_merge": True,
            "delete_branch_on_merge": True, "vulnerability_alerts": True})]
        bp = {"repository_id": Expr("github_repository.%s.node_id" % r), "pattern": "main",
              "enforce_admins": not bad and rng.random() < 0.7,
              "require_signed_commits": rng.random() < 0.3,
              "required_status_checks": Block(body={"strict": True, "contexts": rng.sample(CI_CONTEXTS, 2)})}
        if not bad:
            bp["required_pull_request_reviews"] = Block(body={
                "required_approving_review_count": rng.choice([1, 1, 2]),
                "dismiss_stale_reviews": rng.random() < 0.8,
                "require_code_owner_reviews": rng.random() < 0.5,
                "require_last_push_approval": rng.random() < 0.3})
        new.append(("resource", ["github_branch_protection", r], bp))
        env = {"repository": Expr("github_repository.%s.name" % r), "environment": rng.choice(["production", "staging"]),
               "prevent_self_review": not bad and rng.random() < 0.7, "can_admins_bypass": False,
               "reviewers": Block(body={"teams": Expr("[github_team.%s.id]" % rng.choice(TEAMS).replace("-", "_"))}),
               "deployment_branch_policy": Block(body={"protected_branches": True, "custom_branch_policies": False})}
        new.append(("resource", ["github_repository_environment", r], env))
        if rng.random() < 0.4:
            new.append(("resource", ["github_repository_ruleset", r], {
                "name": "release", "repository": Expr("github_repository.%s.name" % r), "target": "branch",
                "enforcement": "active",
                "conditions": Block(body={"ref_name": Block(body={"include": ["refs/heads/release/*"], "exclude": []})}),
                "rules": Block(body={"deletion": True, "non_fast_forward": True,
                                     "pull_request": Block(body={"required_approving_review_count": 1,
                                                                 "dismiss_stale_reviews_on_push": True,
                                                                 "require_last_push_approval": True})})}))
        for blk in new:
            size += len(Block(blk[1], blk[2]).render(blk[0])) + 1
        blocks += new
        i += 1
    return hcl_file(blocks)


def tf_gitlab(rng, projects, violation=False):
    blocks = [("terraform", [], {"required_providers": Block(body={"gitlab": {"source": "gitlabhq/gitlab", "version": "~> 17.0"}})})]
    for i, p in enumerate(projects):
        r = p.replace("-", "_")
        bad = violation and i == 0
        blocks += [
            ("resource", ["gitlab_project", r], {
                "name": p, "namespace_id": Expr("var.group_id"), "visibility_level": "private",
                "merge_method": "ff", "only_allow_merge_if_pipeline_succeeds": True,
                "allow_pipeline_trigger_approve_deployment": bad}),
            ("resource", ["gitlab_branch_protection", r], {
                "project": Expr("gitlab_project.%s.id" % r), "branch": "main",
                "push_access_level": "maintainer" if bad else "no one", "merge_access_level": "maintainer"}),
            ("resource", ["gitlab_project_level_mr_approvals", r], {
                "project": Expr("gitlab_project.%s.id" % r),
                "reset_approvals_on_push": True,
                "disable_overriding_approvers_per_merge_request": not bad,
                "merge_requests_author_approval": bad,
                "merge_requests_disable_committers_approval": True}),
            ("resource", ["gitlab_project_approval_rule", r], {
                "project": Expr("gitlab_project.%s.id" % r), "name": "reviewers",
                "approvals_required": 0 if bad else rng.choice([1, 2]),
                "group_ids": Expr("[var.group_id]")}),
        ]
    return hcl_file(blocks)


def tf_plan(rng, env, scale=1.0, violation=False):
    """`terraform show -json` output of an environment."""
    target = log_uniform(rng, 5000, 40000) * scale
    resources = []
    changes = []
    size = 0
    i = 0
    while size < target or i == 0:
        bad = violation and i == 0
        k = rng.randrange(3)
        if k == 0:
            typ, name, values = "aws_db_instance", "db_%d" % i, {
                "identifier": "%s-db-%d" % (env, i), "engine": "postgres", "engine_version": "16.1",
                "instance_class": "db.t4g.medium", "allocated_storage": 50, "storage_encrypted": True,
                "publicly_accessible": bad, "multi_az": env == "prod", "tags": {"Environment": env}}
        elif k == 1:
            typ, name, values = "aws_s3_bucket_acl", "bucket_%d" % i, {
                "acl": "public-read" if bad else "private", "bucket": "%s-bucket-%d" % (env, i),
                "access_control_policy": [], "expected_bucket_owner": ""}
        else:
            typ, name, values = "aws_security_group", "sg_%d" % i, {
                "name": "%s-sg-%d" % (env, i), "description": "managed", "vpc_id": "vpc-0abc",
                "ingress": [{"cidr_blocks": ["10.0.0.0/8"], "description": "", "from_port": 443, "to_port": 443,
                             "protocol": "tcp", "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                             "security_groups": [], "self": False}],
                "egress": [], "tags": {"Environment": env}}
        addr = "module.app.%s.%s" % (typ, name)
        resources.append({"address": addr, "mode": "managed", "type": typ, "name": name,
                          "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
                          "values": values, "sensitive_values": {}})
        changes.append({"address": addr, "module_address": "module.app", "mode": "managed", "type": typ,
                        "name": name, "provider_name": "registry.terraform.io/hashicorp/aws",
                        "change": {"actions": ["create"], "before": None, "after": values,
                                   "after_unknown": {"id": True, "arn": True}}})
        size += 2 * len(json.dumps(values)) + 600
        i += 1
    doc = {"format_version": "1.2", "terraform_version": "1.9.5",
           "planned_values": {"root_module": {"child_modules": [{"address": "module.app", "resources": resources}]}},
           "resource_changes": changes,
           "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}}}}
    return json.dumps(doc, indent=2) + "\n"


# --------------------------------------------------------------------------
# CloudFormation (YAML with short-form tags, JSON, *.template)
# --------------------------------------------------------------------------

class Tag(object):
    """An intrinsic function: `!Ref X` in YAML, `{"Ref": "X"}` in JSON."""

    def __init__(self, name, arg):
        self.name, self.arg = name, arg

    def long(self):
        if self.name == "Ref":
            return {"Ref": self.arg}
        if self.name == "GetAtt":
            return {"Fn::GetAtt": self.arg.split(".", 1)}
        return {"Fn::" + self.name: to_json_value(self.arg)}


class Literal(str):
    """A multi-line string written as a YAML block scalar (`|`)."""


def to_json_value(v):
    if isinstance(v, Tag):
        return v.long()
    if isinstance(v, dict):
        return dict((k, to_json_value(x)) for k, x in v.items())
    if isinstance(v, list):
        return [to_json_value(x) for x in v]
    return str(v) if isinstance(v, Literal) else v


YAML_PLAIN_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def yaml_scalar(s):
    if isinstance(s, bool):
        return b(s)
    if isinstance(s, (int, float)):
        return str(s)
    if (s and s.lower() not in YAML_PLAIN_WORDS and s[0].isalpha() or s[:1] in ("/", "_")) \
            and all(c.isalnum() or c in " ._/:-()*,+=@" for c in s) \
            and ": " not in s and not s.endswith(":") and not s.endswith(" ") and " #" not in s:
        try:
            float(s)
        except ValueError:
            return s
    return json.dumps(s)


def yaml_lines(v, indent):
    """Block-style YAML of v at `indent` spaces, as a list of lines."""
    pad = " " * indent
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            key = yaml_scalar(k)
            if isinstance(x, Tag):
                out.extend(yaml_tag_lines(pad + key + ":", x, indent))
            elif isinstance(x, Literal):
                out.append("%s%s: |" % (pad, key))
                out.extend((pad + "  " + l) if l else "" for l in x.splitlines())
            elif isinstance(x, (dict, list)) and x:
                out.append("%s%s:" % (pad, key))
                out.extend(yaml_lines(x, indent + 2))
            elif isinstance(x, (dict, list)):
                out.append("%s%s: %s" % (pad, key, "{}" if isinstance(x, dict) else "[]"))
            else:
                out.append("%s%s: %s" % (pad, key, yaml_scalar(x)))
        return out
    if isinstance(v, list):
        for x in v:
            if isinstance(x, dict) and x:
                sub = yaml_lines(x, indent + 2)
                out.append(pad + "- " + sub[0][indent + 2:])
                out.extend(sub[1:])
            elif isinstance(x, Tag):
                out.extend(yaml_tag_lines(pad + "-", x, indent))
            else:
                out.append("%s- %s" % (pad, yaml_scalar(x)))
        return out
    return [pad + yaml_scalar(v)]


def yaml_tag_inline(t):
    if isinstance(t.arg, list):
        return "!%s [%s]" % (t.name, ", ".join(yaml_tag_inline(a) if isinstance(a, Tag) else yaml_scalar(a) if not isinstance(a, list)
                                              else "[" + ", ".join(yaml_scalar(y) for y in a) + "]" for a in t.arg))
    if isinstance(t.arg, Tag):
        return "!%s %s" % (t.name, yaml_tag_inline(t.arg))
    return "!%s %s" % (t.name, yaml_scalar(t.arg))


def yaml_tag_lines(prefix, t, indent):
    if isinstance(t.arg, Literal):
        return ["%s !%s |" % (prefix, t.name)] + [(" " * (indent + 2) + l) if l else "" for l in t.arg.splitlines()]
    if isinstance(t.arg, dict):
        return ["%s !%s" % (prefix, t.name)] + yaml_lines(t.arg, indent + 2)
    return ["%s %s" % (prefix, yaml_tag_inline(t))]


def cfn_resources(rng, i, violation):
    """One group of resources: a security group, a bucket, a database, a role, a function."""
    k = rng.random()
    sfx = "%s%d" % (rng.choice(["App", "Web", "Data", "Api", "Batch", "Reports"]), i)
    res = {}
    if k < 0.3 or violation:
        ingress = []
        for port in rng.sample([443, 80, 5432, 3306, 8080], rng.randint(1, 3)):
            rule = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
            if port in (80, 443):
                rule["CidrIp"] = "0.0.0.0/0"
            else:
                rule["SourceSecurityGroupId"] = Tag("Ref", "LoadBalancerSecurityGroup")
            rule["Description"] = "port %d" % port
            ingress.append(rule)
        if violation or rng.random() < 0.004:
            ingress.append({"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0",
                            "Description": "ssh from anywhere"})
        res[sfx + "SecurityGroup"] = {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": Tag("Sub", "${AWS::StackName} %s" % sfx),
            "VpcId": Tag("Ref", "VpcId"),
            "SecurityGroupIngress": ingress,
            "Tags": [{"Key": "Name", "Value": Tag("Sub", "${AWS::StackName}-%s" % sfx)}]}}
    if k < 0.55 or violation:
        public = violation or rng.random() < 0.004
        props = {"BucketName": Tag("Sub", "${AWS::StackName}-%s-${AWS::AccountId}" % sfx.lower()),
                 "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                     {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": Tag("Ref", "KmsKeyArn")}}]},
                 "VersioningConfiguration": {"Status": "Enabled"},
                 "PublicAccessBlockConfiguration": {"BlockPublicAcls": not public, "BlockPublicPolicy": True,
                                                    "IgnorePublicAcls": not public, "RestrictPublicBuckets": True},
                 "Tags": [{"Key": "Component", "Value": sfx}]}
        if public:
            props["AccessControl"] = "PublicRead"
        res[sfx + "Bucket"] = {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "Properties": props}
        res[sfx + "BucketPolicy"] = {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": Tag("Ref", sfx + "Bucket"),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": [Tag("GetAtt", sfx + "Bucket.Arn"), Tag("Sub", "${%sBucket.Arn}/*" % sfx)],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}
    elif k < 0.7:
        res[sfx + "Database"] = {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot", "Properties": {
            "Engine": rng.choice(["postgres", "mysql"]), "DBInstanceClass": Tag("Ref", "DbInstanceClass"),
            "AllocatedStorage": "50", "StorageEncrypted": True, "MultiAZ": Tag("If", ["IsProd", True, False]),
            "PubliclyAccessible": rng.random() < 0.004, "MasterUsername": "app",
            "ManageMasterUserPassword": True, "DBSubnetGroupName": Tag("Ref", "DbSubnetGroup"),
            "VPCSecurityGroups": [Tag("GetAtt", "AppSecurityGroup.GroupId")]}}
    elif k < 0.85:
        res[sfx + "Role"] = {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]},
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
            "Policies": [{"PolicyName": "access", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": rng.sample(["sqs:SendMessage", "s3:GetObject", "dynamodb:Query", "kms:Decrypt"], 2),
                "Resource": Tag("Sub", "arn:aws:s3:::${AWS::StackName}-*")}]}}]}}
        res[sfx + "Function"] = {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": rng.choice(["python3.12", "nodejs20.x"]), "Handler": "index.handler",
            "Role": Tag("GetAtt", sfx + "Role.Arn"), "Timeout": rng.choice([10, 30, 60]),
            "Environment": {"Variables": {"STAGE": Tag("Ref", "Environment"), "LOG_LEVEL": "INFO"}},
            "Code": {"ZipFile": Tag("Sub", Literal(
                "import json\nimport os\n\ndef handler(event, context):\n"
                "    print(json.dumps({'stack': '${AWS::StackName}', 'records': len(event.get('Records', []))}))\n"
                "    return {'statusCode': 200}\n"))}}}
    else:
        res[sfx + "Queue"] = {"Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": Tag("Sub", "${AWS::StackName}-%s" % sfx.lower()), "VisibilityTimeout": 60,
            "KmsMasterKeyId": "alias/aws/sqs",
            "RedrivePolicy": {"deadLetterTargetArn": Tag("GetAtt", sfx + "DeadLetter.Arn"), "maxReceiveCount": 5}}}
        res[sfx + "DeadLetter"] = {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1209600}}
        res[sfx + "Topic"] = {"Type": "AWS::SNS::Topic", "Properties": {
            "KmsMasterKeyId": "alias/aws/sns",
            "Subscription": [{"Endpoint": Tag("GetAtt", sfx + "Queue.Arn"), "Protocol": "sqs"}]}}
    return res


def cfn_template(rng, stack, fmt, scale=1.0, violation=False):
    """A CloudFormation template of 1.5-25 KB (times scale), in YAML or JSON."""
    target = log_uniform(rng, 1500, 25000) * scale
    doc = {"AWSTemplateFormatVersion": "2010-09-09",
           "Description": "%s: %s" % (stack, sentence(rng, 4, 10)),
           "Parameters": {
               "Environment": {"Type": "String", "AllowedValues": ["dev", "staging", "prod"], "Default": "dev"},
               "VpcId": {"Type": "AWS::EC2::VPC::Id"},
               "KmsKeyArn": {"Type": "String"},
               "DbInstanceClass": {"Type": "String", "Default": "db.t4g.medium"},
               "LoadBalancerSecurityGroup": {"Type": "AWS::EC2::SecurityGroup::Id"},
               "DbSubnetGroup": {"Type": "String"}},
           "Conditions": {"IsProd": Tag("Equals", [Tag("Ref", "Environment"), "prod"])},
           "Resources": {},
           "Outputs": {}}
    size = 900
    i = 0
    while size < target or i == 0:
        group = cfn_resources(rng, i, violation and i == 0)
        doc["Resources"].update(group)
        size += len(json.dumps(to_json_value(group))) // 2 + 150 * len(group)
        i += 1
    for name in list(doc["Resources"])[:rng.randint(1, 4)]:
        doc["Outputs"][name] = {"Value": Tag("Ref", name), "Export": {"Name": Tag("Sub", "${AWS::StackName}-%s" % name)}}
    if fmt == "json":
        return json.dumps(to_json_value(doc), indent=2) + "\n"
    return "\n".join(yaml_lines(doc, 0)) + "\n"


# --------------------------------------------------------------------------
# Data files, filler and ignored files
# --------------------------------------------------------------------------

DATA_NAMES_PERSONAL = ["customers", "customer_list", "members", "contacts-export", "subscribers",
                       "applicants", "employees", "顧客リスト", "会員名簿"]
DATA_NAMES_OTHER = ["metrics", "sales_by_region", "inventory", "fx_rates", "sku_prices", "load_test",
                    "latency_p99", "feature_flags", "translations"]


def data_file(rng, scale=1.0, personal=False):
    """Returns (file name, bytes). doublecheck judges these by name and never reads them."""
    stem = rng.choice(DATA_NAMES_PERSONAL if personal else DATA_NAMES_OTHER)
    ext = rng.choice(["csv", "csv", "csv", "tsv", "xlsx"])
    name = "%s-%d%02d.%s" % (stem, rng.randint(2019, 2025), rng.randint(1, 12), ext)
    target = int(log_uniform(rng, 1000, 40000) * scale)
    if ext == "xlsx":
        return name, b"PK\x03\x04" + rng.getrandbits(8 * target).to_bytes(target, "little")
    sep = "\t" if ext == "tsv" else ","
    rows = [sep.join(["id", "name", "region", "amount", "updated_at"])]
    size = 40
    i = 0
    while size < target:
        row = sep.join([str(i), "%s %s" % (rng.choice(WORDS), rng.choice(WORDS)), rng.choice(AWS_REGIONS),
                        "%.2f" % rng.uniform(1, 9999), "2024-%02d-%02dT10:00:00Z" % (rng.randint(1, 12), rng.randint(1, 28))])
        rows.append(row)
        size += len(row) + 1
        i += 1
    return name, ("\n".join(rows) + "\n").encode()


def filler(rng, kind, tag, scale=1.0):
    """Files of no known kind (doublecheck must not read them). Returns (name, bytes)."""
    if kind == "md":
        body = ["# %s" % sentence(rng, 2, 5), ""]
        target = log_uniform(rng, 500, 8000) * scale
        size = 0
        while size < target:
            s = sentence(rng, 8, 25)
            body.append(s)
            size += len(s) + 1
            if rng.random() < 0.2:
                body += ["", "```sh", "terraform -chdir=infra plan -var-file=envs/dev.tfvars", "```", ""]
                size += 70
        return ("\n".join(body) + "\n").encode()
    if kind == "ts":
        comp = rng.choice(["invoiceList", "caseViewer", "portalHeader", "searchBox", "util"])
        lines = ["import { LightningElement, api, wire } from 'lwc';",
                 "import getRecords from '@salesforce/apex/%s.getRecords';" % rng.choice(["InvoiceController", "CaseSelector"]),
                 "", "export default class %s extends LightningElement {" % comp[0].upper() + comp[1:]]
        for j in range(int(rng.randint(5, 120) * scale) + 1):
            lines.append("    @api prop%d: string = '%s';" % (j, rng.choice(WORDS)))
        lines.append("}")
        return ("\n".join(lines) + "\n").encode()
    if kind == "png":
        n = int(rng.randint(1000, 30000) * scale) + 1
        return b"\x89PNG\r\n\x1a\n" + rng.getrandbits(8 * n).to_bytes(n, "little")
    if kind == "package.json":
        pkg = rng.choice(NODE_PKGS)
        doc = {"name": pkg, "version": "%d.%d.%d" % (rng.randint(0, 9), rng.randint(0, 20), rng.randint(0, 9)),
               "description": sentence(rng), "main": "index.js", "license": "MIT",
               "repository": {"type": "git", "url": "https://github.com/example/%s.git" % pkg},
               "files": ["index.js", "index.d.ts"], "engines": {"node": ">=14"},
               "keywords": [rng.choice(WORDS) for _ in range(int(rng.randint(1, 10) * scale) + 1)]}
        return (json.dumps(doc, indent=2) + "\n").encode()
    if kind == "log":
        lines = ["%s INFO deploy %s" % (tag, sentence(rng, 5, 15)) for _ in range(int(rng.randint(10, 200) * scale) + 1)]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(kind)


GITIGNORE = """\
# Salesforce CLI and editor state
.sfdx/
.sf/
.localdevserver/
.vscode/
*.log
# Terraform working directories
.terraform/
# local build and retrieve output
ignored/
"""

# --------------------------------------------------------------------------
# The plan: which files, where, of which kind
# --------------------------------------------------------------------------

# Share of the files of each family, per --mix. "github" is not a share: every repository
# sub-tree gets one .github/ (and so a mixed tree gets about one per 300 files).
MIXES = {
    "mixed": {"terraform": 0.32, "k8s": 0.14, "cfn": 0.10, "salesforce": 0.26, "data": 0.01,
              "filler": 0.10, "ignored": 0.03},
    "terraform": {"terraform": 1.0},
    "k8s-cfn": {"k8s": 0.55, "cfn": 0.45},
    "cloudformation": {"cfn": 1.0},
}
FILES_PER_REPO = 300
# Not a share of families but one Salesforce org in SFDX format (bench/sforg.py).
ORG_MIX = "salesforce-org"


class Spec(object):
    """One file to write: its path, summary category, kind (of content), and how to make its
    bytes at a scale."""
    __slots__ = ("rel", "cat", "kind", "fn")

    def __init__(self, rel, cat, kind, fn):
        self.rel, self.cat, self.kind, self.fn = rel, cat, kind, fn


def plan(n, seed, mix):
    shares = MIXES[mix]
    width = max(4, len(str(n)))
    z = lambda i: str(i).zfill(width)
    specs = []

    def add(rel, cat, kind, index, make):
        """make(rng, scale) -> str or bytes; rng is file_rng(seed, kind, index)."""
        def fn(scale, kind=kind, index=index, make=make):
            data = make(file_rng(seed, kind, index), scale)
            return data.encode() if isinstance(data, str) else data
        specs.append(Spec(rel, cat, kind, fn))

    n_repos = max(1, int(round(n / float(FILES_PER_REPO))))
    repos = []
    for r in range(n_repos):
        rng = file_rng(seed, "repo", r)
        repos.append("%s-%s" % (rng.choice(REPO_STEMS), z(r)))
    root = lambda r: "repos/%s/" % repos[r % n_repos]

    budget = dict((f, int(n * s)) for f, s in shares.items())
    if mix != "mixed":
        # no filler in the single-purpose trees: the rounding remainder goes to the largest family
        big = max(sorted(shares), key=lambda f: shares[f])
        budget[big] += n - sum(budget.values())

    # ---- .github/ of each repository (mixed only), with a Decap site in some
    if mix == "mixed":
        for r in range(n_repos):
            base = root(r)
            rng = file_rng(seed, "repo-layout", r)
            first = r == 0
            add(base + ".github/settings.yml", "github", "settings_yml", r,
                lambda rng, s, r=r, first=first: settings_yml(rng, repos[r], force_zero=first)
                + (settings_environments(rng, first) if first or rng.random() < 0.4 else ""))
            add(base + ".github/CODEOWNERS", "github", "codeowners", r,
                lambda rng, s, r=r, first=first: codeowners(rng, repos[r], first or rng.random() < 0.05))
            add(base + ".github/workflows/ci.yml", "filler", "workflow", r,
                lambda rng, s, r=r: workflow_yml(rng, repos[r]))
            for j in range(rng.choice([0, 0, 1, 2])):
                name = ["main", "release"][j]
                add(base + ".github/rulesets/%s.json" % name, "github", "ruleset", r * 4 + j,
                    lambda rng, s, name=name, first=first: ruleset_json(rng, name, first))
            if first or rng.random() < 0.3:
                add(base + "audit/branch-protection/main.json", "github", "branch_json", r,
                    lambda rng, s, r=r: branch_json(rng, repos[r]))
            if first or rng.random() < 0.15:
                add(base + "site/static/admin/config.yml", "decap", "decap", r,
                    lambda rng, s, r=r, first=first: decap_config(rng, repos[r], first))
            add(base + "README.md", "filler", "readme", r, lambda rng, s: filler(rng, "md", "", s))
            add(base + ".gitignore", "filler", "gitignore", r, lambda rng, s: GITIGNORE)

    # ---- Terraform: modules (main/variables/outputs/versions, some tfvars and .tf.json),
    # environments, github and gitlab provider folders, and plans (mixed only)
    left = budget.get("terraform", 0)
    modules_of_repo = {}  # repo index -> module folders written so far, for envs to call
    i = 0
    while left > 0:
        rng = file_rng(seed, "tf-layout", i)
        base = root(i) + "infra/terraform/"
        first = i == 0
        u = rng.random()
        if i % 10 == 9:
            env = ENVS[(i // 10) % len(ENVS)]
            d = base + "envs/%s-%s/" % (env, z(i))
            have = modules_of_repo.get(i % n_repos, [])
            mods = rng.sample(have, min(len(have), rng.randint(2, 6)))
            files = [("main.tf", "tf_env_main", lambda rng, s, env=env, mods=mods: tf_env_main(rng, env, mods)),
                     ("variables.tf", "tf_env_variables", lambda rng, s: tf_env_variables()),
                     ("terraform.tfvars", "tfvars", lambda rng, s, env=env: tfvars(rng, env))]
            if mix == "mixed" and rng.random() < 0.3:
                files.append(("plan.json", "tf_plan", lambda rng, s, env=env, first=first: tf_plan(rng, env, s, True)))
        elif u < 0.08 or i == 1:
            d = base + "github/%s/" % z(i)
            names = [repos[(i + k) % n_repos] for k in range(3)]
            files = [("github.tf", "tf_github", lambda rng, s, names=names, bad=(i == 1): tf_github(rng, names, s, bad))]
        elif u < 0.12 or i == 2:
            d = base + "gitlab/%s/" % z(i)
            names = ["%s-%d" % (rng.choice(REPO_STEMS), k) for k in range(rng.randint(1, 4))]
            files = [("gitlab.tf", "tf_gitlab", lambda rng, s, names=names, bad=(i == 2): tf_gitlab(rng, names, bad))]
        else:
            m = rng.choice(TF_MODULE_STEMS)
            d = base + "modules/%s-%s/" % (m, z(i))
            modules_of_repo.setdefault(i % n_repos, []).append("%s-%s" % (m, z(i)))
            files = [("main.tf", "tf_main", lambda rng, s, m=m, first=first: tf_module_main(rng, m, s, first or rng.random() < 0.05)),
                     ("variables.tf", "tf_variables", lambda rng, s: tf_variables(rng, s)),
                     ("outputs.tf", "tf_outputs", lambda rng, s, m=m: tf_outputs(rng, m)),
                     ("versions.tf", "tf_versions", lambda rng, s: tf_versions(rng))]
            if rng.random() < 0.15:
                files.append(("policies.tf.json", "tf_json", lambda rng, s, m=m: tf_json_policy(rng, m, s, rng.random() < 0.1)))
            if rng.random() < 0.1:
                files.append(("terraform.tfvars", "tfvars", lambda rng, s: tfvars(rng, rng.choice(ENVS))))
        for name, kind, make in files[:left]:
            add(d + name, "terraform", kind, i, make)
        left -= min(left, len(files))
        i += 1

    # ---- Kubernetes: one folder per app, a multi-document manifest
    for i in range(budget.get("k8s", 0)):
        rng = file_rng(seed, "k8s-layout", i)
        app = "%s-%s" % (rng.choice(K8S_APPS), z(i))
        ns = rng.choice(["shop", "payments", "platform", "default", "web"])
        fname = rng.choice(["manifests.yaml", "manifests.yaml", "deployment.yaml", "all.yml"])
        add(root(i) + "k8s/%s/%s" % (app, fname), "kubernetes", "k8s", i,
            lambda rng, s, app=app, ns=ns, first=(i == 0): k8s_manifests(rng, app, ns, s, first))

    # ---- CloudFormation: stacks in YAML (short-form tags), JSON and *.template
    for i in range(budget.get("cfn", 0)):
        rng = file_rng(seed, "cfn-layout", i)
        stack = "%s-%s" % (rng.choice(TF_MODULE_STEMS), z(i))
        u = rng.random()
        name, fmt = (("template.yaml", "yaml") if u < 0.6 else ("template.json", "json") if u < 0.85
                     else ("stack.template", "yaml" if u < 0.93 else "json"))
        add(root(i) + "infra/cloudformation/%s/%s" % (stack, name), "cloudformation", "cfn", i,
            lambda rng, s, stack=stack, fmt=fmt, first=(i == 0): cfn_template(rng, stack, fmt, s, first or rng.random() < 0.03))

    # ---- Salesforce: projects of about 150 files
    sf_left = budget.get("salesforce", 0)
    n_projects = max(1, int(round(sf_left / 150.0))) if sf_left else 0
    counters = {"profile": 0, "permissionset": 0, "class": 0, "sharing": 0, "site": 0}
    guest_violation = [True]
    for p in range(n_projects):
        quota = sf_left // (n_projects - p)
        sf_left -= quota
        rng = file_rng(seed, "sf-layout", p)
        project = "%s-%s" % (rng.choice(["crm", "service-cloud", "partner-portal", "community", "field-service"]), z(p))
        base = root(p) + "salesforce/%s/" % project
        src = base + "force-app/main/default/"
        out = []  # (rel, cat, kind, index, make) for this project, cut to the quota
        n_sites = min(3, max(1, quota // 60))
        sites = []
        for s_i in range(n_sites):
            k = counters["site"]
            counters["site"] += 1
            site = "%s_%s" % (rng.choice(SITE_STEMS), z(k))
            sites.append(site)
            out.append((src + "sites/%s.site-meta.xml" % site, "salesforce", "site", k,
                        lambda rng, s, site=site, k=k: custom_site(rng, site, k)))
            guest_name = "%s Profile" % site.replace("_", " ")
            out.append((src + "profiles/%s.profile-meta.xml" % guest_name, "salesforce", "guest_profile", k,
                        lambda rng, s, v=guest_violation[0]: profile(rng, True, v or rng.random() < 0.05, s)))
            guest_violation[0] = False
            out.append((src + "networks/%s.network-meta.xml" % site.replace("_", " "), "salesforce", "network", k,
                        lambda rng, s, site=site: network(rng, site, "Customer Community User")))
            out.append((src + "experiences/%s1/config/%s.json" % (site, site[0].lower() + site[1:].replace("_", "")),
                        "salesforce", "experience", k, lambda rng, s, site=site: experience_config(rng, site)))
        out.append((src + "settings/Sharing.settings-meta.xml", "salesforce", "sharing_settings", p,
                    lambda rng, s, first=(p == 0): sharing_settings(rng, first)))
        guest_ps = "%s_Guest_Access" % sites[0]
        out.append((base + "cumulusci.yml", "salesforce", "cumulusci", p,
                    lambda rng, s, project=project, site=sites[0], ps=guest_ps: cumulusci_yml(rng, project, site, ps if rng.random() < 0.5 else None)))
        out.append((base + "scripts/apex/assign-guest.apex", "salesforce", "anon_apex", p,
                    lambda rng, s, site=sites[0], ps=guest_ps: anonymous_apex(rng, site, ps)))
        out.append((src + "permissionsets/%s.permissionset-meta.xml" % guest_ps, "salesforce", "guest_permissionset", p,
                    lambda rng, s, site=sites[0]: permission_set(rng, "%s guest access" % site.replace("_", " "), s, guest=True)))
        rest = max(0, quota - len(out))
        # profiles 40% (a quarter of them in metadata-API format), permission sets 25%,
        # classes 28% (two files each), sharing rules 7%
        n_sharing = max(1, rest * 7 // 100) if rest >= 10 else 0
        n_class = rest * 28 // 100 // 2
        n_ps = rest * 25 // 100
        n_prof = rest - n_sharing - 2 * n_class - n_ps
        classes = []
        for _ in range(n_class):
            k = counters["class"]
            counters["class"] += 1
            crng = file_rng(seed, "class-name", k)
            name = pascal(crng.choice(CUSTOM_STEMS)) + crng.choice(CLASS_SUFFIXES) + z(k)
            sharing = crng.choice(["with", "with", "with", "inherited", None, "without"])
            classes.append(name)
            out.append((src + "classes/%s.cls" % name, "salesforce", "apex_class", k,
                        lambda rng, s, name=name, sh=sharing: apex_class(rng, name, sh, s)))
            out.append((src + "classes/%s.cls-meta.xml" % name, "salesforce", "apex_meta", k,
                        lambda rng, s: apex_class_meta(rng)))
        for _ in range(n_ps):
            k = counters["permissionset"]
            counters["permissionset"] += 1
            prng = file_rng(seed, "permissionset-name", k)
            stem = prng.choice(CUSTOM_STEMS)
            role = prng.choice(["Manager", "Viewer", "Editor", "Admin", "Integration", "Approver"])
            out.append((src + "permissionsets/%s_%s_%s.permissionset-meta.xml" % (stem, role, z(k)), "salesforce",
                        "permissionset", k,
                        lambda rng, s, label="%s %s" % (stem.replace("_", " "), role): permission_set(rng, label, s)))
        for _ in range(n_prof):
            k = counters["profile"]
            counters["profile"] += 1
            prng = file_rng(seed, "profile-name", k)
            role = prng.choice(PROFILE_ROLES)
            name = ("Custom%%3A %s %s" if prng.random() < 0.15 else "%s %s") % (role, z(k))
            if k % 4 == 3:
                rel = base + "src/profiles/%s.profile" % name
            else:
                rel = src + "profiles/%s.profile-meta.xml" % name
            out.append((rel, "salesforce", "profile", k, lambda rng, s: profile(rng, False, False, s)))
        for j in range(n_sharing):
            k = counters["sharing"]
            counters["sharing"] += 1
            obj = ALL_OBJECTS[k % len(ALL_OBJECTS)]
            out.append((src + "sharingRules/%s.sharingRules-meta.xml" % obj, "salesforce", "sharing_rules", k,
                        lambda rng, s, obj=obj, sites=tuple(sites), first=(k == 0): sharing_rules(rng, obj, list(sites), s, first)))
        for rel, cat, kind, index, make in out[:quota]:
            add(rel, cat, kind, index, make)

    # ---- data files judged by name
    for i in range(budget.get("data", 0)):
        rng = file_rng(seed, "data-layout", i)
        personal = i == 0 or rng.random() < 0.2
        made = data_file(file_rng(seed, "data", i), 1.0, personal)
        name = made[0]
        add(root(i) + "data/exports/%s/%s" % (z(i), name), "data", "data", i,
            lambda rng, s, personal=personal: data_file(rng, s, personal)[1])

    # ---- ignored: the root .gitignore excludes ignored/ (mixed only)
    n_ignored = budget.get("ignored", 0)
    if n_ignored:
        add(".gitignore", "filler", "gitignore", 0, lambda rng, s: GITIGNORE)
    for i in range(n_ignored - (1 if n_ignored else 0)):
        if i % 2 == 0:
            add("ignored/retrieve/profiles/Retrieved %s.profile-meta.xml" % z(i), "ignored", "ignored", i,
                lambda rng, s: profile(rng, rng.random() < 0.5, True, s))
        else:
            add("ignored/logs/deploy-%s.log" % z(i), "ignored", "ignored", i,
                lambda rng, s, i=i: filler(rng, "log", z(i), s))

    # ---- filler up to exactly n files (in mixed), or trim to n
    if len(specs) > n:
        del specs[n:]
    kinds = ["md", "ts", "png", "package.json"]
    i = 0
    while len(specs) < n:
        rng = file_rng(seed, "filler-layout", i)
        k = kinds[i % len(kinds)]
        if mix != "mixed" and k != "md":
            k = "md"
        where = root(i)
        if k == "md":
            rel = where + "docs/guide-%s.md" % z(i)
        elif k == "ts":
            rel = where + "web/src/lwc/component-%s.ts" % z(i)
        elif k == "png":
            rel = where + "web/assets/img/banner-%s.png" % z(i)
        else:
            rel = where + "web/node_modules/%s-%s/package.json" % (rng.choice(NODE_PKGS), z(i))
        add(rel, "filler", "filler", i, lambda rng, s, k=k, i=i: filler(rng, k, z(i), s))
        i += 1
    return specs


def calibrate(specs, target_bytes, sample_size=1500):
    """The scale at which the tree comes to about target_bytes. Sizes do not grow linearly
    with the scale (files grow by whole entries and have a fixed skeleton), so the total is
    estimated from a sample stratified by kind (evenly spaced files of each kind, weighted
    by how many files of that kind there are) and solved by the secant method."""
    by_kind = {}
    for s in specs:
        by_kind.setdefault(s.kind, []).append(s)
    n = len(specs)
    sample = []  # (spec, weight)
    for kind in sorted(by_kind):
        group = by_kind[kind]
        take = min(len(group), max(8, int(round(sample_size * len(group) / float(n)))))
        step = len(group) / float(take)
        for j in range(take):
            sample.append((group[int(j * step)], len(group) / float(take)))

    def estimate(scale):
        return sum(w * len(s.fn(scale)) for s, w in sample)

    lo_s, lo_e = 1.0, estimate(1.0)
    s1 = max(0.02, min(5000.0, target_bytes / lo_e))
    hi_s, hi_e = s1, estimate(s1)
    for _ in range(6):
        if abs(hi_e - target_bytes) <= 0.01 * target_bytes or hi_e == lo_e:
            break
        s2 = hi_s + (target_bytes - hi_e) * (hi_s - lo_s) / (hi_e - lo_e)
        s2 = max(0.02, min(5000.0, s2))
        lo_s, lo_e = hi_s, hi_e
        hi_s, hi_e = s2, estimate(s2)
    return hi_s


def generate(out_dir, n, seed, mix="mixed", target_bytes=None):
    specs = plan(n, seed, mix)
    seen = set()
    for s in specs:
        if s.rel in seen:
            raise SystemExit("internal error: duplicate path %s" % s.rel)
        seen.add(s.rel)
    assert len(specs) == n, (len(specs), n)
    scale = calibrate(specs, target_bytes) if target_bytes else 1.0
    total = 0
    per_cat = {}
    made_dirs = set()
    for s in specs:
        data = s.fn(scale)
        path = os.path.join(out_dir, *s.rel.split("/"))
        d = os.path.dirname(path)
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        with open(path, "wb") as fh:
            fh.write(data)
        total += len(data)
        per_cat[s.cat] = per_cat.get(s.cat, 0) + 1
    return total, per_cat, scale


def parse_size(text):
    t = text.strip().upper().rstrip("B").replace("I", "")
    mult = 1
    for suffix, m in (("K", 10 ** 3), ("M", 10 ** 6), ("G", 10 ** 9)):
        if t.endswith(suffix):
            t, mult = t[:-1], m
            break
    try:
        value = float(t) * mult
    except ValueError:
        raise argparse.ArgumentTypeError("not a size: %r (use e.g. 300M, 2G, 50000K)" % text)
    if value <= 0:
        raise argparse.ArgumentTypeError("size must be positive")
    return int(value)


def big_rules_file(out_dir, lines, seed):
    """One `firestore.rules` of about `lines` lines, written the way large real ones are:
    helper functions, a collection per feature with nested subcollections, owner-scoped,
    role-based and validated writes, comments, and a few public reads and signed-in-only
    rules (every `allow` of it is selected by some policy)."""
    rng = random.Random(seed)
    parts = ["rules_version = '2';", "service cloud.firestore {",
             "  match /databases/{database}/documents {",
             "    // Helpers shared by every collection.",
             "    function signedIn() {", "      return request.auth != null;", "    }",
             "    function isOwner(uid) {",
             "      return signedIn() && request.auth.uid == uid;", "    }",
             "    function hasRole(role) {",
             "      return signedIn() && get(/databases/$(database)/documents/roles/$(request.auth.uid)).data.role == role;",
             "    }",
             "    function validString(value, max) {",
             "      return value is string && value.size() > 0 && value.size() <= max;",
             "    }"]
    names = ["users", "profiles", "orders", "products", "reviews", "messages", "carts",
             "teams", "projects", "tasks", "invoices", "events", "rsvps", "posts", "comments"]
    i = 0
    while len(parts) < lines - 4:
        # Some collections under people's names themselves (the personal-data facts look
        # at each segment), the others per feature.
        base = rng.choice(names)
        name = base if rng.random() < 0.3 else "%s_%d" % (base, i)
        i += 1
        var = "id%d" % i
        kind = rng.random()
        parts += ["", "    // %s" % sentence(rng), "    match /%s/{%s} {" % (name, var)]
        if kind < 0.5:
            parts += ["      allow read: if isOwner(%s);" % var,
                      "      allow create: if isOwner(%s)" % var,
                      "        && validString(request.resource.data.name, 100)",
                      "        && request.resource.data.keys().hasOnly(['name', 'email', 'createdAt']);",
                      "      allow update: if isOwner(%s) && request.resource.data.diff(resource.data).affectedKeys().hasOnly(['name']);" % var,
                      "      allow delete: if hasRole('admin');"]
        elif kind < 0.8:
            parts += ["      allow read: if signedIn() && resource.data.members.hasAny([request.auth.uid]);",
                      "      allow write: if hasRole('editor') || hasRole('admin');"]
        elif kind < 0.95:
            parts += ["      allow read: if true;",
                      "      allow write: if hasRole('admin');"]
        else:
            parts += ["      allow read: if signedIn();",
                      "      allow write: if request.time < timestamp.date(2030, 1, 1);"]
        sub = "items%d" % i
        parts += ["      match /%s/{itemId} {" % sub,
                  "        allow read: if isOwner(%s) || hasRole('admin');" % var,
                  "        allow create, update: if isOwner(%s)" % var,
                  "          && request.resource.data.quantity is int",
                  "          && request.resource.data.quantity > 0;",
                  "        allow delete: if isOwner(%s);" % var,
                  "      }",
                  "    }"]
    parts += ["  }", "}", ""]
    folder = os.path.join(out_dir, "app")
    os.makedirs(folder, exist_ok=True)
    text = "\n".join(parts)
    with open(os.path.join(folder, "firestore.rules"), "w") as f:
        f.write(text)
    return len(parts) - 1, len(text.encode())


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



def supabase_project(out_dir, migrations, seed):
    """A Supabase project of `migrations` files under supabase/migrations/, written the way
    real ones are: each creates a table with row level security and owner-scoped policies,
    an index, a trigger function and its trigger, and a `DO` block that creates a policy
    only if it is missing; every tenth adds a column, every twentieth a public catalogue
    read, one in fifty a SECURITY DEFINER function whose EXECUTE is revoked."""
    rng = random.Random("%d-supabase" % seed)
    folder = os.path.join(out_dir, "supabase", "migrations")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(out_dir, "supabase", "config.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write('project_id = "bench"\n\n[api]\nschemas = ["public", "graphql_public"]\n')
    total = 0
    for i in range(migrations):
        t = "t%d_%s" % (i, rng.choice(["notes", "orders", "events", "tasks", "items"]))
        own = "(select auth.uid()) = user_id"
        parts = [
            "-- Migration %d: %s." % (i, t),
            "create table public.%s (" % t,
            "  id uuid primary key default gen_random_uuid(),",
            "  user_id uuid references auth.users not null,",
            "  title text,",
            "  body text,",
            "  created_at timestamptz default now()",
            ");",
            "alter table public.%s enable row level security;" % t,
            'create policy "own %s select" on public.%s for select to authenticated using (%s);' % (t, t, own),
            'create policy "own %s insert" on public.%s for insert to authenticated with check (%s);' % (t, t, own),
            'create policy "own %s update" on public.%s for update to authenticated using (%s) with check (%s);' % (t, t, own, own),
            "create index %s_user_idx on public.%s (user_id);" % (t, t),
            "create or replace function public.%s_touch() returns trigger language plpgsql as $$" % t,
            "begin",
            "  new.created_at = now();",
            "  return new;",
            "end;",
            "$$;",
            "create trigger %s_touch before update on public.%s for each row execute function public.%s_touch();" % (t, t, t),
            "do $$ begin",
            "  if not exists (select 1 from pg_policies where policyname = 'own %s delete') then" % t,
            '    create policy "own %s delete" on public.%s for delete to authenticated using (%s);' % (t, t, own),
            "  end if;",
            "end $$;",
        ]
        if i % 10 == 9:
            parts.append("alter table public.%s add column archived boolean default false;" % t)
        if i % 20 == 19:
            parts.append('create policy "catalogue %s" on public.%s for select to anon using (true);' % (t, t))
        if i % 50 == 49:
            parts += [
                "create function public.%s_purge() returns void language sql security definer" % t,
                "  as $$ delete from public.%s where archived $$;" % t,
                "revoke execute on function public.%s_purge() from public, anon;" % t,
            ]
        text = "\n".join(parts) + "\n"
        name = "%d_%s.sql" % (20240101000000 + i, t)
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        total += len(text.encode("utf-8"))
    return total


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate a deterministic doublecheck benchmark corpus.")
    ap.add_argument("out_dir", metavar="OUT_DIR")
    ap.add_argument("--files", type=int, default=5000, metavar="N", help="number of files (default 5000)")
    ap.add_argument("--bytes", type=parse_size, metavar="SIZE",
                    help="scale file sizes so the tree comes to about SIZE (e.g. 300M, 1.5G)")
    ap.add_argument("--mix", choices=sorted(MIXES) + [ORG_MIX], default="mixed",
                    help="what the tree holds (default mixed; %s: one large Salesforce org, "
                         "see bench/sforg.py)" % ORG_MIX)
    ap.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    ap.add_argument("--profile-lines", type=int, metavar="L",
                    help="instead of a tree, write one guest profile of about L lines")
    ap.add_argument("--rules-lines", type=int, metavar="L",
                    help="instead of a tree, write one firestore.rules of about L lines")
    ap.add_argument("--supabase-migrations", type=int, metavar="N",
                    help="instead of a tree, write one Supabase project of N migrations")
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
    if args.rules_lines:
        lines, size = big_rules_file(args.out_dir, args.rules_lines, args.seed)
        print("generated one firestore.rules of %d lines, %d bytes in %s (seed %d)"
              % (lines, size, args.out_dir, args.seed))
        return 0
    if args.supabase_migrations:
        size = supabase_project(args.out_dir, args.supabase_migrations, args.seed)
        print("generated a Supabase project of %d migrations, %d bytes in %s (seed %d)"
              % (args.supabase_migrations, size, args.out_dir, args.seed))
        return 0
    if args.mix == ORG_MIX:
        if args.bytes:
            ap.error("--bytes does not apply to --mix %s" % ORG_MIX)
        import sforg  # beside this file; imports this module for its helpers
        total, per_cat = sforg.generate(args.out_dir, args.files, args.seed)
        scale = 1.0
    else:
        total, per_cat, scale = generate(args.out_dir, args.files, args.seed, args.mix, args.bytes)
    order = ["terraform", "kubernetes", "cloudformation", "salesforce", "github", "decap", "data",
             "filler", "ignored"]
    kinds = " ".join("%s=%d" % (k, per_cat[k]) for k in order if k in per_cat)
    print("generated %d files, %d bytes (%.1f MB) in %s (seed %d, mix %s, size scale %.3g): %s"
          % (args.files, total, total / 1e6, args.out_dir, args.seed, args.mix, scale, kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
