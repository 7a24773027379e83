//! The Supabase pack's settings and their defaults.

use crate::facts::patterns::Patterns;

/// Column names that hold personal data: who someone is, how to reach them, where they live
/// or are, what they pay with. Each pattern is matched, without regard to case, against one column
/// name, so they are anchored to whole names (with a prefix such as `billing_` or `contact_`
/// allowed).
pub const DEFAULT_PERSONAL_COLUMNS: &[&str] = &[
    r"^([a-z]+_)?e_?mail(_address)?$",
    r"^([a-z]+_)?(phone|mobile|telephone)(_number)?$",
    r"^([a-z]+_)?(address|street|postcode|postal_code|zip_code|zip)(_line_?[12])?$",
    r"^(first|last|full|given|family|legal|middle)_?name$",
    r"^(date_of_birth|dob|birth_?date|birthday)$",
    r"^(ssn|social_security_number|national_id|passport(_number)?|tax_id)$",
    r"^(card_number|iban|bank_account(_number)?|stripe_customer_id|credit_card)$",
    r"^(ip_address|last_sign_in_ip)$",
    r"^([a-z]+_)?(lat|lng|latitude|longitude|geo_?location|coordinates)$",
];

/// What the Supabase facts treat as personal data.
#[derive(Debug, Clone)]
pub struct SupabaseSettings {
    pub personal_columns: Patterns,
}

impl Default for SupabaseSettings {
    fn default() -> Self {
        SupabaseSettings {
            personal_columns: Patterns::builtin(DEFAULT_PERSONAL_COLUMNS),
        }
    }
}
