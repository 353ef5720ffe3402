package text

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"matui/model"
)

// Countdown formats a remaining time for the auto-stop column. The format is
// chosen so the width stays at most 6 cells and the most urgent part is the
// one that moves:
//
//	≥ 24h   "2d03h"
//	≥ 1h    "1h02m"
//	< 1h    "14:59"  (mm:ss — the seconds matter once under an hour)
//	≤ 0     "0:00"   (callers show "stopping…" instead)
//
// Seconds are truncated, so "0:01" is shown until the last second has fully
// elapsed, never rounded up past the deadline.
func Countdown(d time.Duration) string {
	if d <= 0 {
		return "0:00"
	}
	s := int64(d / time.Second)
	switch {
	case s >= 86400:
		return fmt.Sprintf("%dd%02dh", s/86400, (s%86400)/3600)
	case s >= 3600:
		return fmt.Sprintf("%dh%02dm", s/3600, (s%3600)/60)
	default:
		return fmt.Sprintf("%02d:%02d", s/60, s%60)
	}
}

// Level is how urgent a countdown is.
type Level int

const (
	LevelNone Level = iota // not a countdown (off, idle, —)
	LevelOK
	LevelWarning // under 15 minutes
	LevelDanger  // under 5 minutes, or already stopping
)

// Thresholds for the countdown colours.
const (
	WarnBelow   = 15 * time.Minute
	DangerBelow = 5 * time.Minute
)

// Urgency maps a remaining time to a Level.
func Urgency(d time.Duration) Level {
	switch {
	case d < DangerBelow:
		return LevelDanger
	case d < WarnBelow:
		return LevelWarning
	default:
		return LevelOK
	}
}

// AutoStopCell is the text and urgency of an instance's auto-stop cell at
// server time now:
//
//   - queued: the queue countdown "q 04:10" (from QueueDeadline), "queued"
//     without one;
//   - not RUNNING: "—" (nothing will stop it);
//   - auto-stop disabled: "off";
//   - IDLE lease: "idle" (stops after inactivity, no fixed deadline);
//   - deadline reached: "stopping…";
//   - otherwise the Countdown.
func AutoStopCell(inst *model.Instance, now time.Time) (string, Level) {
	if inst.Class == model.ClassQueued {
		if inst.QueueDeadline.IsZero() {
			return "queued", LevelNone
		}
		d := inst.QueueDeadline.Sub(now)
		if d <= 0 {
			return "q 0:00", LevelNone
		}
		return "q " + Countdown(d), LevelNone
	}
	if inst.Status != "RUNNING" {
		return "—", LevelNone
	}
	a := inst.AutoStop
	if !a.Enabled {
		return "off", LevelNone
	}
	if strings.EqualFold(a.Type, "IDLE") {
		return "idle", LevelNone
	}
	if a.Deadline.IsZero() {
		return "on", LevelNone
	}
	d := a.Deadline.Sub(now)
	if d <= 0 {
		return "stopping…", LevelDanger
	}
	return Countdown(d), Urgency(d)
}

// Age is a compact elapsed time: "45s", "12m", "5h", "3d" (hours up to two
// days, so "yesterday afternoon" reads as 30h, not 1d).
func Age(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	default:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
}

// Bytes formats a memory size in binary units with at most one decimal:
// "512 MiB", "64 GiB", "1.5 TiB".
func Bytes(n int64) string {
	const (
		mib = 1 << 20
		gib = 1 << 30
		tib = 1 << 40
	)
	switch {
	case n <= 0:
		return ""
	case n >= tib:
		return trimFloat(float64(n)/tib) + " TiB"
	case n >= gib:
		return trimFloat(float64(n)/gib) + " GiB"
	default:
		return trimFloat(float64(n)/mib) + " MiB"
	}
}

func trimFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// Flavor summarises what an instance runs on: "Ascend 910 ×8 · 192 vCPU ·
// 1.5 TiB", "V100 ×1 · 8 vCPU · 64 GiB", "CPU · 2 vCPU · 8 GiB". It falls
// back to the flavor name when the spec is unknown. The result is
// sanitised (the spec's type string comes from the API).
func Flavor(spec model.Spec, flavor string) string {
	var parts []string
	switch spec.Kind {
	case model.KindGPU, model.KindAscend:
		t := Sanitize(spec.Type)
		if t == "" {
			t = string(spec.Kind)
		}
		if spec.Count > 0 {
			t += " ×" + strconv.Itoa(spec.Count)
		}
		parts = append(parts, t)
	case model.KindCPU:
		parts = append(parts, "CPU")
	}
	if spec.VCPUs > 0 {
		parts = append(parts, strconv.FormatFloat(spec.VCPUs, 'f', -1, 64)+" vCPU")
	}
	if m := Bytes(spec.MemoryBytes); m != "" {
		parts = append(parts, m)
	}
	if len(parts) == 0 {
		return Sanitize(flavor)
	}
	return strings.Join(parts, " · ")
}
