#!/usr/bin/env bash
# Step 3 of the action: scan. doublecheck itself writes the annotations, the step summary
# ($GITHUB_STEP_SUMMARY) and the step outputs ($GITHUB_OUTPUT) when the format is github.
set -uo pipefail

args=(scan)
# Paths are separated by white space; each is one argument, never re-read by the shell.
read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
if [[ ${#paths[@]} -eq 0 ]]; then
    paths=(.)
fi
args+=("${paths[@]}")
args+=(--format "${INPUT_FORMAT:-github}")
[[ -n "${INPUT_CONFIG:-}" ]] && args+=(--config "$INPUT_CONFIG")
read -r -d '' -a policies <<<"${INPUT_POLICIES:-}" || true
for folder in ${policies[@]+"${policies[@]}"}; do
    args+=(--policies "$folder")
done
[[ -n "${INPUT_FAIL_ON:-}" ]] && args+=(--fail-on "$INPUT_FAIL_ON")
[[ -n "${INPUT_SARIF_FILE:-}" ]] && args+=(--sarif-file "$INPUT_SARIF_FILE")
[[ -n "${INPUT_BASELINE:-}" ]] && args+=(--baseline "$INPUT_BASELINE")

pr_only="${INPUT_PR_ONLY:-auto}"
if [[ "$pr_only" == auto ]]; then
    case "${GITHUB_EVENT_NAME:-}" in
        pull_request | pull_request_target) pr_only=true ;;
        *) pr_only=false ;;
    esac
fi
if [[ "$pr_only" == true ]]; then
    if [[ -z "${GITHUB_BASE_REF:-}" ]]; then
        echo "::error title=doublecheck::pr-only needs a pull request event (GITHUB_BASE_REF is empty); set pr-only: false for other events"
        exit 2
    fi
    args+=(--diff-base "origin/$GITHUB_BASE_REF")
elif [[ "$pr_only" != false ]]; then
    echo "::error title=doublecheck::pr-only must be auto, true or false"
    exit 2
fi

echo "doublecheck ${args[*]}"
doublecheck "${args[@]}"
