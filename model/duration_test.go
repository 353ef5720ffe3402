package model

import (
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90m":      90 * time.Minute,
		"1.5h":     90 * time.Minute,
		"1h30m":    90 * time.Minute,
		"5400s":    90 * time.Minute,
		"1.5":      90 * time.Minute, // a bare number is hours
		"2":        2 * time.Hour,
		".5":       30 * time.Minute,
		" 1H 30M ": 90 * time.Minute,
		"24h":      24 * time.Hour,
		"0":        0,
		"1h0.5s":   time.Hour + 500*time.Millisecond,
		"72":       72 * time.Hour,
	} {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "  ", "h", "1x", "-1h", "+2h", "1h30", "NaN", "Inf", "1e3", "0x10", "1..5", ".", "1,5", "9999999999h"} {
		_, err := ParseDuration(in)
		if err == nil {
			t.Errorf("ParseDuration(%q) accepted", in)
			continue
		}
		if !strings.Contains(err.Error(), "90m, 1.5h, 1h30m or 5400s") {
			t.Errorf("ParseDuration(%q): error %q does not say what to write", in, err)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		5400 * time.Second:                       "1h30m",
		time.Hour:                                "1h",
		24 * time.Hour:                           "24h",
		90 * time.Second:                         "1m30s",
		time.Hour + 30*time.Second:               "1h30s",
		0:                                        "0s",
		time.Hour + 500*time.Millisecond:         "1h500ms",
		2*time.Hour + 1500*time.Millisecond:      "2h1.5s",
		100 * time.Hour:                          "100h",
		-time.Minute:                             "-1m0s",
		time.Duration(1<<63 - 1):                 "2562047h47m16.854775807s",
		86399*time.Second + 999*time.Millisecond: "23h59m59.999s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
		if d >= 0 {
			if back, err := ParseDuration(FormatDuration(d)); err != nil || back != d {
				t.Errorf("%v → %q → %v, %v", d, FormatDuration(d), back, err)
			}
		}
	}
	if got := FormatSeconds(5400); got != "1h30m" {
		t.Errorf("FormatSeconds(5400) = %q", got)
	}
	if got := FormatSeconds(1 << 62); got != "4611686018427387904s" {
		t.Errorf("FormatSeconds(huge) = %q", got)
	}
}

func TestParseGen1AutoStop(t *testing.T) {
	for in, want := range map[string]int{"1": 3600, "1.5h": 5400, "90m": 5400, "1h30m": 5400, "5400s": 5400, "24": 86400, "3600s": 3600, "86400s": 86400} {
		got, err := ParseGen1AutoStop(in)
		if err != nil || got != want {
			t.Errorf("ParseGen1AutoStop(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"59m":    "spec.auto_stop.duration: 59m is too short (allowed: 1h–24h, i.e. 3,600–86,400 seconds)",
		"3599s":  "59m59s is too short",
		"25":     "25h is too long",
		"86401s": "24h1s is too long",
		"5400":   "5400h is too long (a bare number is hours: did you mean 5400s?)",
		"1h0.5s": "1h500ms is not a whole number of seconds",
		"":       "spec.auto_stop.duration: is required: write e.g. 90m",
		"abc":    "spec.auto_stop.duration: \"abc\" is not a duration: write e.g. 90m, 1.5h, 1h30m or 5400s; a bare number is hours (allowed: 1h–24h, i.e. 3,600–86,400 seconds)",
		"0":      "0s is too short",
		"90":     "90h is too long (a bare number is hours: did you mean 90m?)",
	} {
		_, err := ParseGen1AutoStop(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseGen1AutoStop(%q) = %v, want %q", in, err, want)
		}
		if _, ok := err.(*FieldError); !ok {
			t.Errorf("ParseGen1AutoStop(%q): %T is not a *FieldError", in, err)
		}
	}
}

func TestParseLeaseDuration(t *testing.T) {
	for in, want := range map[string]int64{"1": 3_600_000, "1.5": 5_400_000, "90m": 5_400_000, "72h": 259_200_000, "2.25": 8_100_000} {
		got, err := ParseLeaseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseLeaseDuration(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"30m":       "lease.duration: 30m is too short (allowed: 1h–72h)",
		"72.01":     "72h36s is too long (allowed",
		"1h0.0001s": "not a whole number of milliseconds",
		"x":         "is not a duration",
	} {
		if _, err := ParseLeaseDuration(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseLeaseDuration(%q) = %v, want %q", in, err, want)
		}
	}
}
