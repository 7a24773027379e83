#!/usr/bin/env bash
# Survey a Salesforce org repository for what the guest-access policies read, to decide
# whether it is worth measuring:  bench/salesforce/survey.sh DIR...
# Prints file count, guest-licence profiles, profiles, permission sets, sites (and how many
# name a guestProfile), siteDotComSites files, networks (and how many have selfRegistration
# on), sharing-rule files with guest rules, field metadata, CumulusCI and anonymous Apex.
set -u
for d in "$@"; do
echo "== $d  files=$(find "$d" -type f | wc -l)"
echo " guest-licence profiles: $(grep -rl --include='*.profile-meta.xml' --include='*.profile' 'Guest User License' "$d" | wc -l)"
echo " profiles: $(find "$d" -name '*.profile-meta.xml' -o -name '*.profile' | wc -l)  permsets: $(find "$d" -name '*.permissionset-meta.xml' -o -name '*.permissionset' | wc -l)"
echo " sites: $(find "$d" -name '*.site-meta.xml' -o -name '*.site' | grep -v siteDotCom | wc -l) guestProfile: $(grep -rl '<guestProfile>' "$d" --include='*.site*' | wc -l)  siteDotComSites: $(find "$d" -path '*siteDotComSites*' -type f | wc -l)"
echo " networks: $(find "$d" -name '*.network-meta.xml' -o -name '*.network' | wc -l) selfReg-true: $(grep -rl '<selfRegistration>true' "$d" --include='*.network*' | wc -l)"
echo " sharingGuestRules files: $(grep -rl '<sharingGuestRules>' "$d" | wc -l)  fields: $(find "$d" -name '*.field-meta.xml' | wc -l) .object: $(find "$d" -name '*.object' | wc -l)"
echo " cumulusci: $(find "$d" -name cumulusci.yml | wc -l) apex scripts: $(find "$d" -name '*.apex' | wc -l)  experiences: $(find "$d" -path '*experiences*' -name '*.json' | wc -l) digitalExperiences: $(find "$d" -path '*digitalExperiences*' -type f | wc -l)"
done
