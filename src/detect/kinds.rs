//! The kinds detection gives documents, named `<family>/<type>`. Facts, the resolver and the
//! policy loader use these names, never string copies of them.

pub const SALESFORCE_PROFILE: &str = "salesforce/Profile";
pub const SALESFORCE_PERMISSION_SET: &str = "salesforce/PermissionSet";
pub const SALESFORCE_CUSTOM_SITE: &str = "salesforce/CustomSite";
pub const SALESFORCE_NETWORK: &str = "salesforce/Network";
pub const SALESFORCE_CUSTOM_OBJECT: &str = "salesforce/CustomObject";
pub const SALESFORCE_CUSTOM_FIELD: &str = "salesforce/CustomField";
pub const SALESFORCE_APEX_CLASS_META: &str = "salesforce/ApexClass";
pub const SALESFORCE_SHARING_RULES: &str = "salesforce/SharingRules";
/// Every other Salesforce metadata type: `salesforce/<root element>`.
pub const SALESFORCE_FAMILY: &str = "salesforce/";
/// Any Salesforce metadata type, as `applies-to` may name it.
pub const SALESFORCE_ANY: &str = "salesforce/*";
pub const SALESFORCE_EXPERIENCE_SITE: &str = "salesforce/experience-site";
pub const SALESFORCE_VISUALFORCE: &str = "salesforce/visualforce";
pub const APEX_CLASS: &str = "apex/class";
pub const APEX_ANONYMOUS: &str = "apex/anonymous";
pub const CUMULUSCI_CONFIG: &str = "cumulusci/config";
pub const TERRAFORM_CONFIG: &str = "terraform/config";
pub const TERRAFORM_VARIABLES: &str = "terraform/variables";
/// A file a Terraform configuration reads by path (`file("policy.json")`): never detected
/// by its name, read for the configuration that names it (`resolve::terraform::files`).
pub const TERRAFORM_FILE: &str = "terraform/file";
/// `terraform show -json` output, lowered to the configuration's shape on reading.
pub const TERRAFORM_PLAN: &str = "terraform/plan";
pub const DATA_FILE: &str = "data/file";
pub const GITHUB_SETTINGS: &str = "github/settings";
pub const GITHUB_RULESET: &str = "github/ruleset";
pub const GITHUB_BRANCH_PROTECTION: &str = "github/branch-protection";
pub const GITHUB_CODEOWNERS: &str = "github/codeowners";
/// A GitHub Actions workflow, `.github/workflows/*.yml`.
pub const GITHUB_WORKFLOW: &str = "github/workflow";
pub const DECAP_CONFIG: &str = "decap/config";
pub const CLOUDFORMATION_TEMPLATE: &str = "cloudformation/template";
/// Firebase Security Rules: `firestore.rules`, `storage.rules`.
pub const FIREBASE_RULES: &str = "firebase/rules";
/// Firebase Realtime Database rules: `database.rules.json`.
pub const FIREBASE_DATABASE_RULES: &str = "firebase/database-rules";
/// A Helm chart's `Chart.yaml`.
pub const HELM_CHART: &str = "helm/chart";
/// A Helm chart's values (`values.yaml`, and the other values files beside it).
pub const HELM_VALUES: &str = "helm/values";
/// A Helm chart's template, read as text and rendered with the chart's values.
pub const HELM_TEMPLATE: &str = "helm/template";
/// The Firebase CLI's project file, `firebase.json`: it names the rules files deployed.
pub const FIREBASE_CONFIG: &str = "firebase/config";
/// Every Kubernetes object: `kubernetes/<kind>`.
pub const KUBERNETES_FAMILY: &str = "kubernetes/";
/// Any Kubernetes object, as `applies-to` may name it.
pub const KUBERNETES_ANY: &str = "kubernetes/*";
/// A Service: a load balancer's ports are network facts.
pub const KUBERNETES_SERVICE: &str = "kubernetes/Service";
/// RBAC: bindings and the roles they name, for the bindings' facts.
pub const KUBERNETES_ROLE_BINDING: &str = "kubernetes/RoleBinding";
pub const KUBERNETES_CLUSTER_ROLE_BINDING: &str = "kubernetes/ClusterRoleBinding";
pub const KUBERNETES_ROLE: &str = "kubernetes/Role";
pub const KUBERNETES_CLUSTER_ROLE: &str = "kubernetes/ClusterRole";
/// Power Pages sites as the Power Platform CLI (`pac pages download`) writes them, in the
/// standard and the enhanced data model alike: every document is a list of records with the
/// `adx_` prefix taken off their fields (see `resolve::powerpages`).
pub const POWERPAGES_WEB_ROLE: &str = "powerpages/web-role";
pub const POWERPAGES_TABLE_PERMISSION: &str = "powerpages/table-permission";
pub const POWERPAGES_SITE_SETTING: &str = "powerpages/site-setting";
pub const POWERPAGES_LIST: &str = "powerpages/list";
pub const POWERPAGES_BASIC_FORM: &str = "powerpages/basic-form";
pub const POWERPAGES_ADVANCED_FORM_STEP: &str = "powerpages/advanced-form-step";
pub const POWERPAGES_WEBSITE: &str = "powerpages/website";
/// Every Power Pages kind.
pub const POWERPAGES: &[&str] = &[
    POWERPAGES_WEB_ROLE,
    POWERPAGES_TABLE_PERMISSION,
    POWERPAGES_SITE_SETTING,
    POWERPAGES_LIST,
    POWERPAGES_BASIC_FORM,
    POWERPAGES_ADVANCED_FORM_STEP,
    POWERPAGES_WEBSITE,
];
/// A Supabase migration, `supabase/migrations/*.sql`: its statements.
pub const SUPABASE_MIGRATION: &str = "supabase/migration";
/// The Supabase CLI's project settings, `supabase/config.toml`.
pub const SUPABASE_CONFIG: &str = "supabase/config";
