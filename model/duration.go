package model

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Durations as people write them, for the auto-stop of both generations
// (Gen 1 in seconds, Gen 2 leases in milliseconds): one parser, one
// formatter, so what a form shows is what it reads back.

// durationExamples is how every duration error says what to write.
const durationExamples = "write e.g. 90m, 1.5h, 1h30m or 5400s; a bare number is hours"

// errNotDuration is ParseDuration's error; the text says how to write one.
var errNotDuration = errors.New("is not a duration: " + durationExamples)

// ParseDuration reads a duration the way people write one: "90m", "1.5h",
// "1h30m", "5400s" (any sequence of a number and a unit h, m, s, ms, us,
// ns, as time.ParseDuration reads them), or a bare number, which is hours
// ("2", "1.5") as the forms always took it. Case and spaces are ignored
// ("1H 30m"). A sign is refused: an auto-stop is never negative, and
// turning it off is a separate choice. The error says how to write one.
func ParseDuration(s string) (time.Duration, error) {
	d, _, err := parseDuration(s)
	return d, err
}

// parseDuration is ParseDuration that also returns the number when s was
// a bare one (hours), so a range error can say how to write seconds.
func parseDuration(s string) (d time.Duration, bare string, err error) {
	s = strings.ToLower(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), ""))
	if s == "" || strings.ContainsAny(s, "+-") {
		return 0, "", errNotDuration
	}
	if strings.Trim(s, "0123456789.") == "" {
		bare = s
		s += "h"
	}
	d, err = time.ParseDuration(s)
	if err != nil {
		// time's own message ("time: invalid duration …") says nothing
		// about what to type instead.
		return 0, "", errNotDuration
	}
	return d, bare, nil
}

// FormatDuration writes d compactly the way ParseDuration reads it:
// 5400 s → "1h30m", 3600 s → "1h", 90 s → "1m30s", 0 → "0s". For every
// d ≥ 0, ParseDuration(FormatDuration(d)) == d (sub-second parts are kept,
// e.g. "1h0.5s"). A negative d is written as time.Duration writes it.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		return d.String()
	}
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m := d % time.Hour / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if rest := d % time.Minute; rest > 0 {
		b.WriteString(rest.String()) // "30s", "1.5s", "500ms"
	}
	return b.String()
}

// FormatSeconds is FormatDuration of a number of seconds (Gen 1's unit).
func FormatSeconds(s int64) string {
	const most = int64(1<<63-1) / int64(time.Second)
	if s > most || s < -most {
		return fmt.Sprintf("%ds", s)
	}
	return FormatDuration(time.Duration(s) * time.Second)
}

// durationSyntaxErr is the error for what ParseDuration cannot read,
// quoting what was typed.
func durationSyntaxErr(field, allowed, typed string) *FieldError {
	if typed == "" {
		return valErr(field, "is required: "+durationExamples, allowed, typed)
	}
	return valErr(field, fmt.Sprintf("%q %s", valShorten(typed), errNotDuration), allowed, typed)
}

// durationRangeErr is the error for a d outside lo–hi, naming the
// duration as read. A bare whole number that is too long as hours but
// would fit as seconds or minutes ("5400") says how to write those.
func durationRangeErr(field string, d, lo, hi time.Duration, allowed, bare, typed string) *FieldError {
	rule := FormatDuration(d) + " is too short"
	if d > hi {
		rule = FormatDuration(d) + " is too long"
		var alt []string
		for _, u := range []struct {
			unit string
			v    time.Duration
		}{{"s", d / 3600}, {"m", d / 60}} {
			if bare != "" && !strings.Contains(bare, ".") && u.v >= lo && u.v <= hi {
				alt = append(alt, bare+u.unit)
			}
		}
		if len(alt) > 0 {
			rule += " (a bare number is hours: did you mean " + strings.Join(alt, " or ") + "?)"
		}
	}
	return valErr(field, rule, allowed, typed)
}

// ParseGen1AutoStop reads a Gen 1 auto-stop duration (ParseDuration's
// forms) into whole seconds, checked against the 3,600–86,400 s range of
// seeds 000/001; the error names the field, the rule and the range.
func ParseGen1AutoStop(s string) (int, error) {
	allowed := fmt.Sprintf("1h–24h, i.e. %s–%s seconds", valThousands(gen1AutoStopMinSec), valThousands(gen1AutoStopMaxSec))
	n, err := parseDurationIn("spec.auto_stop.duration", allowed, s, gen1AutoStopMinSec, gen1AutoStopMaxSec, time.Second, "seconds")
	return int(n), err
}

// ParseLeaseDuration reads a Gen 2 auto-stop (lease) duration
// (ParseDuration's forms) into milliseconds, checked against the
// 3,600,000–259,200,000 ms (1–72 h) range; the error names the field, the
// rule and the range.
func ParseLeaseDuration(s string) (int64, error) {
	return parseDurationIn("lease.duration", "1h–72h", s, leaseMinMillis, leaseMaxMillis, time.Millisecond, "milliseconds")
}

// parseDurationIn reads s (ParseDuration's forms) as a whole number of
// unit between lo and hi units; the error names field, the rule and
// allowed. An API field takes an integer: rounding silently would send a
// value the user did not write.
func parseDurationIn(field, allowed, s string, lo, hi int64, unit time.Duration, units string) (int64, error) {
	typed := strings.TrimSpace(s)
	d, bare, err := parseDuration(s)
	if err != nil {
		return 0, durationSyntaxErr(field, allowed, typed)
	}
	dlo, dhi := time.Duration(lo)*unit, time.Duration(hi)*unit
	if d < dlo || d > dhi {
		return 0, durationRangeErr(field, d, dlo, dhi, allowed, bare, typed)
	}
	if d%unit != 0 {
		return 0, valErr(field, FormatDuration(d)+" is not a whole number of "+units, allowed, typed)
	}
	return int64(d / unit), nil
}
