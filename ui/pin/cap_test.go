package pin

import (
	"strings"
	"testing"
	"time"
)

func TestParseCap(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	now := time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC) // 15:30 CET
	tests := []struct {
		in   string
		want time.Time
	}{
		{"19:00", time.Date(2026, 3, 2, 19, 0, 0, 0, cet)},
		{"until 19:00", time.Date(2026, 3, 2, 19, 0, 0, 0, cet)},
		{" Until 9:30 ", time.Date(2026, 3, 3, 9, 30, 0, 0, cet)}, // passed today: tomorrow
		{"15:30", time.Date(2026, 3, 3, 15, 30, 0, 0, cet)},       // now exactly: tomorrow
		{"00:00", time.Date(2026, 3, 3, 0, 0, 0, 0, cet)},
		{"+4h", now.Add(4 * time.Hour)},
		{"4h", now.Add(4 * time.Hour)},
		{"+4 h", now.Add(4 * time.Hour)},
		{"90m", now.Add(90 * time.Minute)},
		{"1h30m", now.Add(90 * time.Minute)},
		{"24h", now.Add(24 * time.Hour)},
	}
	for _, tt := range tests {
		got, err := ParseCap(tt.in, now, cet)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseCap(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseCapRejects(t *testing.T) {
	now := time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)
	tests := []struct{ in, want string }{
		{"", "a pin needs a cap"},
		{"until", "a pin needs a cap"},
		{"unlimited", "cannot be unlimited"},
		{"forever", "cannot be unlimited"},
		{"never", "cannot be unlimited"},
		{"0", "cannot be unlimited"},
		{"25h", "more than 24h away"},
		{"+48h", "more than 24h away"},
		{"-1h", "must be ahead of now"},
		{"0m", "must be ahead of now"},
		{"24:00", "not a time of day (HH:MM, 00:00 to 23:59)"},
		{"19:60", "not a time of day"},
		{"19:5", "not a time of day"},
		{"7pm", "neither a time of day nor a duration"},
		{"4", "neither a time of day nor a duration"},
	}
	for _, tt := range tests {
		if _, err := ParseCap(tt.in, now, time.UTC); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseCap(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// A parsed cap goes straight into Add: one under an hour away is refused
// there, with the reason.
func TestParsedCapTooClose(t *testing.T) {
	now := time.Date(2026, 3, 2, 18, 30, 0, 0, time.UTC)
	cap, err := ParseCap("19:00", now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	s := newSet(t)
	if _, err := s.Add(running("nb", now.Add(20*time.Minute)), time.Hour, cap, now, ""); err == nil || !strings.Contains(err.Error(), "under an hour") {
		t.Fatalf("Add: %v", err)
	}
}
