//! The incidents built-in policies cite (summaries of `incidents.md` in the design notes), so
//! `doublecheck explain` can say why a policy exists. User policies may cite others.

pub struct Incident {
    pub name: &'static str,
    pub summary: &'static str,
}

const INCIDENTS: &[Incident] = &[
    Incident {
        name: "rakuten-2020",
        summary: "Rakuten, Rakuten Card and Rakuten Edy: a cloud sales-management system \
                  (reported as Salesforce) left up to 1.48 million records readable by outside \
                  third parties from 2016-01 to 2020-11 through its guest-access security \
                  settings; found by an outside researcher.",
    },
    Incident {
        name: "aichi-2020",
        summary: "Aichi prefecture published non-public data on COVID-19 patients 1-495 for 45 \
                  minutes because the page's author and its approver were the same person: no \
                  double check took place.",
    },
    Incident {
        name: "rakuten-2005",
        summary: "Rakuten Ichiba shops could download order data including card numbers; \
                  customers' data leaked from a shop. Fix: least privilege and data \
                  minimisation.",
    },
    Incident {
        name: "tokio-marine-2024",
        summary: "Staff seconded to MUFG Bank passed data on 37,843 bank customers back to their \
                  home companies over four years: export and view-all permissions must be \
                  restricted to named roles.",
    },
    Incident {
        name: "softbank-agency-2015-2018",
        summary: "A sales agency's president copied 6,347 customers' data entered on shop \
                  tablets; 62 had money withdrawn. Partner access must be an explicit, \
                  reviewed grant.",
    },
    Incident {
        name: "honda-2019",
        summary: "Honda: an internal database server on an outside network was reachable from \
                  the internet because of an access-restriction mistake.",
    },
    Incident {
        name: "mitsubishi-electric-2020",
        summary: "Mitsubishi Electric: a cloud server used by the company was attacked; bank \
                  account records of up to 8,635 business partners may have leaked.",
    },
    Incident {
        name: "verizon-nice-2017",
        summary: "An Amazon S3 bucket of NICE Systems, a Verizon contractor, was configured to \
                  let anyone read it; UpGuard found records of millions of Verizon customers \
                  (names, addresses, account PINs) in it in June 2017.",
    },
    Incident {
        name: "firebase-2018",
        summary: "Appthority found 3,046 mobile apps using 2,271 Firebase databases with no \
                  protection: over 100 million records (113 GB), among them 2.6 million \
                  plaintext passwords and 4 million health records, readable by anyone \
                  because the database rules said `true`.",
    },
    Incident {
        name: "firebase-2024",
        summary: "916 websites whose Firebase rules were open to the world (`if true`, the \
                  console's test mode, any signed-in user) exposed 125 million records: names, \
                  e-mail addresses, phone numbers, 19.8 million plaintext passwords and billing \
                  details.",
    },
    Incident {
        name: "power-pages-2021",
        summary: "UpGuard, August 2021: 47 organisations (American Airlines, Ford, the state \
                  of Indiana, New York City's transit and schools among them) exposed 38 \
                  million records (contact tracing, vaccination appointments, social security \
                  numbers) through Microsoft Power Apps portals whose lists had the OData feed \
                  on and table permissions off.",
    },
    Incident {
        name: "supabase-2025",
        summary: "Of 1,645 web apps one AI app builder generated on Supabase, more than 170 \
                  leaked names, e-mail addresses, phone numbers, home addresses, payment data \
                  and API keys through 303 endpoints (CVE-2025-48757, May 2025): tables in \
                  the exposed `public` schema had no row level security or a policy \
                  `USING (true)`, so the public `anon` key read everything.",
    },
];

pub fn incident(name: &str) -> Option<&'static Incident> {
    INCIDENTS.iter().find(|i| i.name == name)
}
