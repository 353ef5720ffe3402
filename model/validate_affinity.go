package model

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Affinity rules are passed through to Kubernetes node affinity on the
// dedicated pool (seed 002), so keys and values follow Kubernetes' label
// syntax. Validating them here turns a late, generic API error into a
// message next to the field.

const (
	labelNameMax   = 63  // Kubernetes qualified-name name part
	labelPrefixMax = 253 // DNS-1123 subdomain
	labelValueMax  = 63

	weightMin = 0 // seed 002: "ranges from 0 to 100"; Kubernetes says 1–100. The seed wins.
	weightMax = 100
)

var (
	// Name part of a qualified name: alphanumeric at both ends, -_. inside.
	labelNameRe = regexp.MustCompile(`^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`)
	// DNS-1123 subdomain: lowercase RFC 1123 labels separated by dots. Like
	// Kubernetes' IsDNS1123Subdomain, only the total length (253) is
	// enforced, not 63 per label, so that nothing the pool's API server
	// accepts is refused here.
	dnsSubdomainRe = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	// Label value: empty, or alphanumeric at both ends with -_. inside.
	labelValueRe = regexp.MustCompile(`^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$`)
)

const (
	allowedLabelKey = "optional DNS subdomain prefix (lowercase, ≤253 characters) and /, " +
		"then a name of 1–63 characters: letters, digits, - _ . inside, alphanumeric at both ends"
	allowedLabelValue = "0–63 characters: letters, digits, - _ . inside, alphanumeric at both ends"
	allowedOperators  = "In, NotIn, Exists, DoesNotExist, Gt, Lt"
)

func checkLabelKey(field, key string) *FieldError {
	if key == "" {
		return valErr(field, "is required", allowedLabelKey, key)
	}
	name := key
	if i := strings.IndexByte(key, '/'); i >= 0 {
		prefix := key[:i]
		name = key[i+1:]
		switch {
		case prefix == "":
			return valErr(field, "has an empty prefix before /", allowedLabelKey, key)
		case len(prefix) > labelPrefixMax:
			return valErr(field, fmt.Sprintf("prefix of %d characters is too long", len(prefix)), allowedLabelKey, key)
		case !dnsSubdomainRe.MatchString(prefix):
			return valErr(field, "prefix is not a lowercase DNS subdomain", allowedLabelKey, key)
		case strings.Contains(name, "/"):
			return valErr(field, "contains more than one /", allowedLabelKey, key)
		}
	}
	switch {
	case name == "":
		return valErr(field, "has an empty name", allowedLabelKey, key)
	case utf8.RuneCountInString(name) > labelNameMax:
		return valErr(field, fmt.Sprintf("name of %d characters is too long", utf8.RuneCountInString(name)), allowedLabelKey, key)
	case !labelNameRe.MatchString(name):
		return valErr(field, "name must be letters, digits, - _ . and start and end with a letter or digit", allowedLabelKey, key)
	}
	return nil
}

// ValidateLabelKey checks a node-label key of an affinity rule, which is a
// Kubernetes qualified name: an optional DNS-subdomain prefix and "/", then
// a 1–63 character name.
func ValidateLabelKey(key string) error {
	return valAsError(checkLabelKey("key", key))
}

func checkLabelValue(field, v string) *FieldError {
	if n := utf8.RuneCountInString(v); n > labelValueMax {
		return valErr(field, fmt.Sprintf("%d characters is too long", n), allowedLabelValue, v)
	}
	if !labelValueRe.MatchString(v) {
		return valErr(field, "must be letters, digits, - _ . and start and end with a letter or digit", allowedLabelValue, v)
	}
	return nil
}

// ValidateLabelValue checks a node-label value of an In or NotIn rule: empty,
// or up to 63 characters alphanumeric at both ends with - _ . inside.
func ValidateLabelValue(v string) error {
	return valAsError(checkLabelValue("values", v))
}

// checkAffinityRule validates one rule; prefix is the rule's path ("" for a
// bare rule, giving fields "key", "operator", "values", "weight").
func checkAffinityRule(prefix string, r AffinityRule, preferred bool) FieldErrors {
	p := func(name string) string {
		if prefix == "" {
			return name
		}
		return prefix + "." + name
	}
	var es FieldErrors
	if e := checkLabelKey(p("key"), r.Key); e != nil {
		es = append(es, e)
	}
	valuesField := p("values")
	n := len(r.Values)
	switch r.Operator {
	case OpIn, OpNotIn:
		if n == 0 {
			es = append(es, valErr(valuesField, fmt.Sprintf("%s needs at least one value", r.Operator), "1 or more values for In and NotIn", ""))
		}
		for i, v := range r.Values {
			if e := checkLabelValue(fmt.Sprintf("%s[%d]", valuesField, i), v); e != nil {
				es = append(es, e)
			}
		}
	case OpExists, OpDoesNotExist:
		if n != 0 {
			es = append(es, valErr(valuesField, fmt.Sprintf("%s takes no values, got %d", r.Operator, n), "no values for Exists and DoesNotExist", ""))
		}
	case OpGt, OpLt:
		// Seed 002 describes Gt/Lt as a "string comparison"; Kubernetes, which
		// evaluates the rule, parses the single value as a 64-bit integer
		// (strconv.ParseInt) and never matches otherwise. Kubernetes wins
		// here because it decides what the rule does. The value is not
		// checked as a label value: "-5" is a valid bound but not a label.
		if n != 1 {
			es = append(es, valErr(valuesField, fmt.Sprintf("%s needs exactly one value, got %d", r.Operator, n), "exactly one integer value for Gt and Lt", ""))
		} else if _, err := strconv.ParseInt(r.Values[0], 10, 64); err != nil {
			es = append(es, valErr(valuesField+"[0]", fmt.Sprintf("%s needs an integer", r.Operator), "exactly one integer value for Gt and Lt", r.Values[0]))
		}
	default:
		rule := "is not an operator"
		if r.Operator == "" {
			rule = "is required"
		} else if s := valSuggest(r.Operator, OpIn, OpNotIn, OpExists, OpDoesNotExist, OpGt, OpLt); s != "" {
			rule = fmt.Sprintf("is not an operator (operators are case-sensitive: did you mean %s?)", s)
		}
		es = append(es, valErr(p("operator"), rule, allowedOperators, r.Operator))
	}
	if preferred {
		if w := r.Weight; w != nil && (*w < weightMin || *w > weightMax) {
			es = append(es, valErr(p("weight"), fmt.Sprintf("%d is out of range", *w),
				fmt.Sprintf("%d–%d", weightMin, weightMax), strconv.Itoa(*w)))
		}
	} else if r.Weight != nil {
		es = append(es, valErr(p("weight"), "is only allowed on preferred rules",
			"no weight on required rules", strconv.Itoa(*r.Weight)))
	}
	return es
}

// ValidateAffinityRule checks one node-affinity rule. Required (strong)
// rules must not carry a weight; preferred (weak) rules may, 0–100 (seed
// 002; Kubernetes itself requires 1–100, the seed wins).
func ValidateAffinityRule(r AffinityRule, preferred bool) error {
	return valFirst(checkAffinityRule("", r, preferred))
}

const (
	affinityRequiredPath  = "affinity.required_during_scheduling_ignored_during_execution"
	affinityPreferredPath = "affinity.preferred_during_scheduling_ignored_during_execution"
)

func checkAffinityLists(required, preferred []AffinityRule) FieldErrors {
	var es FieldErrors
	for i, r := range required {
		es = append(es, checkAffinityRule(fmt.Sprintf("%s[%d]", affinityRequiredPath, i), r, false)...)
	}
	for i, r := range preferred {
		es = append(es, checkAffinityRule(fmt.Sprintf("%s[%d]", affinityPreferredPath, i), r, true)...)
	}
	return es
}

// ValidateAffinity checks every rule of both lists and returns the first
// failure, with its full path, e.g.
// "affinity.preferred_during_scheduling_ignored_during_execution[1].weight".
func ValidateAffinity(a Affinity) error {
	return valFirst(checkAffinityLists(a.Required, a.Preferred))
}
