# Shared by the command-line test scripts (sourced): the t check and its counters.
passed=${passed:-0}
failed=${failed:-0}

# t NAME STATUS MUST_CONTAIN COMMAND: run COMMAND (sh, with $campval set) under a timeout;
# pass when it exits with STATUS and its output (stdout and stderr) contains MUST_CONTAIN.
# Optional: $absent, text the output must not contain.
t() {
    name=$1 want=$2 pat=$3 cmd=$4
    out=$(timeout 60 sh -c "$cmd" 2>&1)
    st=$?
    if [ "$st" -eq "$want" ] && printf '%s' "$out" | grep -qF -e "$pat" &&
        { [ -z "${absent:-}" ] || ! printf '%s' "$out" | grep -qF -e "$absent"; }; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name (exit $st, expected $want and \"$pat\"${absent:+, without \"$absent\"})"
        printf '%s\n' "$out" | head -10
    fi
    absent=
}
