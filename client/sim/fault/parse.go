package fault

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Parse reads the --faults flag syntax described in the package comment.
// An empty or all-blank spec yields no rules and no error.
func Parse(spec string) ([]Rule, error) {
	var rules []Rule
	for i, part := range strings.Split(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue // tolerate "a;;b" and a trailing ";"
		}
		r, err := parseRule(part)
		if err != nil {
			return nil, fmt.Errorf("fault rule %d %q: %w", i+1, part, err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func parseRule(s string) (Rule, error) {
	route, kvs, ok := strings.Cut(s, ":")
	if !ok {
		return Rule{}, errors.New(`want ROUTE:key=value[,key=value…]`)
	}
	route = strings.TrimSpace(route)
	if err := checkRoute(route); err != nil {
		return Rule{}, err
	}
	r := Rule{Route: route}
	seen := map[string]bool{}
	for _, kv := range strings.Split(kvs, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(strings.ToLower(k)), strings.TrimSpace(v)
		if !ok || v == "" {
			return Rule{}, fmt.Errorf("%q: want key=value", kv)
		}
		if seen[k] {
			return Rule{}, fmt.Errorf("key %q given twice", k)
		}
		seen[k] = true
		var err error
		switch k {
		case "latency":
			r.Latency, err = parseDuration(v)
		case "jitter":
			r.Jitter, err = parseDuration(v)
		case "retry-after":
			r.RetryAfter, err = parseDuration(v)
		case "5xx":
			r.Error5xx, err = parseProb(v)
		case "429":
			r.Throttle, err = parseProb(v)
		case "hang":
			r.Hang, err = parseProb(v)
		case "malformed":
			r.Malformed, err = parseProb(v)
		case "fail":
			r.Fail, err = parseProb(v)
		default:
			return Rule{}, fmt.Errorf("unknown key %q (want latency, jitter, 5xx, 429, retry-after, hang, malformed or fail)", k)
		}
		if err != nil {
			return Rule{}, fmt.Errorf("%s: %w", k, err)
		}
	}
	if len(seen) == 0 {
		return Rule{}, errors.New("no faults given")
	}
	return r, nil
}

// checkRoute accepts "*", a known route key, or "family.*" for a family that
// exists, so that a typo fails loudly instead of silently matching nothing.
func checkRoute(route string) error {
	switch {
	case route == "":
		return errors.New("empty route")
	case route == "*", knownRoute(route):
		return nil
	case strings.HasSuffix(route, ".*") && knownFamily(strings.TrimSuffix(route, ".*")):
		return nil
	}
	return fmt.Errorf("unknown route %q (want *, a family like notebooks.*, or one of %s)",
		route, strings.Join(routeKeys[:], ", "))
}

func parseDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %s", v)
	}
	return d, nil
}

func parseProb(v string) (float64, error) {
	p, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", v)
	}
	if math.IsNaN(p) || p < 0 || p > 1 {
		return 0, fmt.Errorf("probability %s outside 0–1", v)
	}
	return p, nil
}

// Validate reports the first field of r that Parse would have refused, for
// rules built in Go and handed to New or Set.
func (r Rule) Validate() error {
	if err := checkRoute(r.Route); err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"latency", r.Latency}, {"jitter", r.Jitter}, {"retry-after", r.RetryAfter}} {
		if d.v < 0 {
			return fmt.Errorf("%s: negative duration %s", d.name, d.v)
		}
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"5xx", r.Error5xx}, {"429", r.Throttle}, {"hang", r.Hang}, {"malformed", r.Malformed}, {"fail", r.Fail}} {
		if math.IsNaN(p.v) || p.v < 0 || p.v > 1 {
			return fmt.Errorf("%s: probability %v outside 0–1", p.name, p.v)
		}
	}
	return nil
}

// String renders r in the flag syntax, so that Parse(r.String()) == r for
// every valid rule with at least one fault set.
func (r Rule) String() string {
	var kv []string
	if r.Latency > 0 {
		kv = append(kv, "latency="+r.Latency.String())
	}
	if r.Jitter > 0 {
		kv = append(kv, "jitter="+r.Jitter.String())
	}
	if r.Error5xx > 0 {
		kv = append(kv, "5xx="+strconv.FormatFloat(r.Error5xx, 'g', -1, 64))
	}
	if r.Throttle > 0 {
		kv = append(kv, "429="+strconv.FormatFloat(r.Throttle, 'g', -1, 64))
	}
	if r.RetryAfter > 0 {
		kv = append(kv, "retry-after="+r.RetryAfter.String())
	}
	if r.Hang > 0 {
		kv = append(kv, "hang="+strconv.FormatFloat(r.Hang, 'g', -1, 64))
	}
	if r.Malformed > 0 {
		kv = append(kv, "malformed="+strconv.FormatFloat(r.Malformed, 'g', -1, 64))
	}
	if r.Fail > 0 {
		kv = append(kv, "fail="+strconv.FormatFloat(r.Fail, 'g', -1, 64))
	}
	return r.Route + ":" + strings.Join(kv, ",")
}
