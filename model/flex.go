package model

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// Tolerant scalars.
//
// The two API generations disagree on how they spell numbers (§1, §8.19:
// Gen 1 sends creation_timestamp as "1594887749962" but stop_timestamp as
// 1614672767697), and hand-written doc samples drift further. A list of
// 10,000 instances must not be lost because one field of one instance has an
// unexpected kind, so these types never return an error from UnmarshalJSON:
// a value they cannot read decodes to zero.

// Millis is a UTC epoch timestamp in milliseconds. It decodes JSON numbers
// (integer, float or exponent form), numeric strings, null and "".
type Millis int64

// UnmarshalJSON never fails: anything that is not a number or numeric string
// leaves zero.
func (m *Millis) UnmarshalJSON(b []byte) error {
	n, _ := flexInt64(b)
	*m = Millis(n)
	return nil
}

// maxMillis is 9999-12-31T23:59:59.999Z, the last instant time.Time can
// encode as JSON; later values would make an Instance unmarshallable.
const maxMillis = 253402300799999

// Time returns the timestamp as a time.Time, or the zero time for 0, for
// negative values (no API uses negative epochs; -1 is a "disabled" marker)
// and for values past year 9999, which no real response carries.
func (m Millis) Time() time.Time {
	if m <= 0 || m > maxMillis {
		return time.Time{}
	}
	return time.UnixMilli(int64(m))
}

// MillisOf converts a time to epoch milliseconds; the zero time gives 0.
func MillisOf(t time.Time) Millis {
	if t.IsZero() {
		return 0
	}
	return Millis(t.UnixMilli())
}

// FlexInt is an integer that may arrive as a JSON number or a numeric
// string ("5", "5.0"). Fractions are truncated toward zero; anything else,
// including out-of-range values, decodes to 0. It marshals as a number.
type FlexInt int64

// UnmarshalJSON never fails.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	v, _ := flexInt64(b)
	*n = FlexInt(v)
	return nil
}

// Int returns the value as an int (saturating, for 32-bit platforms).
func (n FlexInt) Int() int {
	if int64(n) > math.MaxInt {
		return math.MaxInt
	}
	if int64(n) < math.MinInt {
		return math.MinInt
	}
	return int(n)
}

// FlexFloat is a float that may arrive as a JSON number or a numeric string.
// Anything else decodes to 0. It marshals as a number.
type FlexFloat float64

// UnmarshalJSON never fails.
func (f *FlexFloat) UnmarshalJSON(b []byte) error {
	v, _ := flexFloat64(b)
	*f = FlexFloat(v)
	return nil
}

// FlexString is a string that may arrive as a JSON number or boolean (e.g.
// flavor evs_max_size, documented as a string but a size in GB). Numbers
// keep their literal text; objects, arrays and null decode to "".
type FlexString string

// UnmarshalJSON never fails.
func (s *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*s = ""
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var v string
		if json.Unmarshal(b, &v) == nil {
			*s = FlexString(v)
		}
	case '{', '[', 'n':
		// not a scalar: leave empty
	default: // number, true, false
		*s = FlexString(b)
	}
	return nil
}

// flexFloat64 reads a JSON number or a JSON string holding a number. It
// reports false for anything else, and for NaN and infinities.
func flexFloat64(b []byte) (float64, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	var s string
	switch b[0] {
	case '"':
		if json.Unmarshal(b, &s) != nil {
			return 0, false
		}
		s = strings.TrimSpace(s)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		s = string(b)
	default:
		return 0, false
	}
	return parseFloatStrict(s)
}

func parseFloatStrict(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// flexInt64 reads an integer from a JSON number or numeric string. Integers
// are parsed exactly (13-digit millisecond timestamps must not pass through
// float64 rounding); other numbers are truncated toward zero when in range.
func flexInt64(b []byte) (int64, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	s := string(b)
	if b[0] == '"' {
		if json.Unmarshal(b, &s) != nil {
			return 0, false
		}
		s = strings.TrimSpace(s)
	}
	return parseIntLoose(s)
}

// parseIntLoose parses a decimal integer, or a float within int64 range
// (truncated). Hex, "NaN", "Inf" and the like are rejected.
func parseIntLoose(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	// Only plain decimal/exponent forms: ParseFloat alone would also accept
	// "Inf", "0x1p3" and underscores.
	for _, r := range s {
		if !strings.ContainsRune("0123456789+-.eE", r) {
			return 0, false
		}
	}
	f, ok := parseFloatStrict(s)
	if !ok || f >= 9.2233720368547748e18 || f < -9.2233720368547748e18 {
		return 0, false
	}
	return int64(f), true
}

// anyFloat reads a number from a value decoded into `any` (a float64, a
// json.Number or a numeric string), as found in Gen 1 flavor_details.params.
func anyFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, false
		}
		return x, true
	case json.Number:
		return parseFloatStrict(string(x))
	case string:
		return parseFloatStrict(strings.TrimSpace(x))
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// anyString renders a scalar decoded into `any` as text; numbers use their
// shortest form ("24", not "24.000000"). Non-scalars give "".
func anyString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return ""
}

// ---- enums ----

// NormEnum returns an enum value in the canonical upper case the API uses in
// responses. §8.6: lease type is "timing" in requests but "TIMING" in
// responses; volume category/ownership are sent lowercase by doc samples;
// flavor_details.type is "Ascend" in samples and "ASCEND" in the HWC table.
func NormEnum(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// SameEnum compares two enum values case-insensitively (see NormEnum).
func SameEnum(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// NormArch returns a CPU architecture in the lowercase form flavors use
// since SDK 0.1.207 ("x86_64", "aarch64"); docs and images list X86_64 and
// AARCH64 (§8.6). "arm64" and "amd64" are mapped too.
func NormArch(s string) string {
	a := strings.ToLower(strings.TrimSpace(s))
	switch a {
	case "arm64", "arm":
		return "aarch64"
	case "amd64", "x86-64", "x64":
		return "x86_64"
	}
	return a
}

// KindOf maps a flavor category or flavor type ("CPU", "GPU", "ASCEND",
// "Ascend", "NPU", "ASCEND_SNT9", …) to an AccelKind, case-insensitively.
func KindOf(category string) (AccelKind, bool) {
	c := NormEnum(category)
	switch {
	case c == "CPU":
		return KindCPU, true
	case c == "GPU":
		return KindGPU, true
	case c == "ASCEND", c == "NPU", strings.HasPrefix(c, "ASCEND"):
		return KindAscend, true
	}
	return "", false
}

// Lease types as responses spell them.
const (
	LeaseTiming = "TIMING"
	LeaseIdle   = "IDLE"
)

// ---- lenient decoding ----

// decodeLenient unmarshals b into v. Per-field kind mismatches are not
// errors: encoding/json skips such a field, fills every other one and only
// then reports the first mismatch, so the result is as complete as it can
// be. Only a syntax error (which Unmarshal detects before filling anything)
// is returned. Inside an UnmarshalJSON method b is always valid, so this
// never fails there.
func decodeLenient(b []byte, v any) error {
	err := json.Unmarshal(b, v)
	if err != nil && json.Valid(b) {
		return nil
	}
	return err
}

// isJSONObject reports whether b holds a JSON object (after whitespace).
func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}
