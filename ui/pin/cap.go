package pin

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseCap reads a cap as users type it, at server time now, with clock
// times in loc (the user's zone; nil: time.Local):
//
//	19:00, 9:30, until 19:00   today at that time, or tomorrow if it has passed
//	+4h, 4h, 90m, 1h30m, +4 h  that long from now
//
// It rejects what is not a cap, naming the rule: no cap or an unlimited
// one ("unlimited", "never", "0"), a time of day that does not exist, a
// duration that is not positive or is more than 24 h. Add checks the rest
// (at least an hour away).
func ParseCap(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.Local
	}
	in := strings.ToLower(strings.TrimSpace(s))
	in = strings.TrimSpace(strings.TrimPrefix(in, "until"))
	const hint = "a time of day such as 19:00, or a duration up to 24h such as +4h or 90m"
	switch in {
	case "":
		return time.Time{}, fmt.Errorf("a pin needs a cap: %s", hint)
	case "unlimited", "forever", "never", "none", "inf", "infinite", "always", "0", "+0", "-1", "off":
		return time.Time{}, fmt.Errorf("cap %q: a pin cannot be unlimited; give %s", s, hint)
	}
	if h, m, ok := strings.Cut(in, ":"); ok {
		hour, err1 := strconv.Atoi(h)
		minute, err2 := strconv.Atoi(m)
		if err1 != nil || err2 != nil || len(m) != 2 || len(h) > 2 || hour < 0 || hour > 23 || minute < 0 || minute > 59 {
			return time.Time{}, fmt.Errorf("cap %q is not a time of day (HH:MM, 00:00 to 23:59)", s)
		}
		local := now.In(loc)
		t := time.Date(local.Year(), local.Month(), local.Day(), hour, minute, 0, 0, loc)
		if !t.After(now) {
			t = time.Date(local.Year(), local.Month(), local.Day()+1, hour, minute, 0, 0, loc)
		}
		return t, nil
	}
	d, err := time.ParseDuration(strings.ReplaceAll(strings.TrimPrefix(in, "+"), " ", ""))
	switch {
	case err != nil:
		return time.Time{}, fmt.Errorf("cap %q is neither a time of day nor a duration: give %s", s, hint)
	case d <= 0:
		return time.Time{}, fmt.Errorf("cap %q must be ahead of now: give %s", s, hint)
	case d > MaxSpan:
		return time.Time{}, fmt.Errorf("cap %q is more than 24h away: a pin lasts at most 24 h", s)
	}
	return now.Add(d), nil
}
