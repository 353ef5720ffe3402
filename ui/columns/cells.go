package columns

import (
	"cmp"
	"strconv"
	"strings"

	"matui/model"
	"matui/ui/text"
)

// displayName is the name, or the ID for an instance without one, so a row
// is never blank where it is identified.
func displayName(in *model.Instance) string {
	if n := text.Sanitize(in.Name); n != "" {
		return n
	}
	return text.Sanitize(in.ID)
}

// rawName is the unsanitised name or ID, for comparisons.
func rawName(in *model.Instance) string {
	if in.Name != "" {
		return in.Name
	}
	return in.ID
}

// spinFrames are the symbols of transitional states, one per frame.
var spinFrames = [...]string{"◐", "◓", "◑", "◒"}

// StatusSymbol is the symbol that goes with a status class, so status is
// never told by colour alone: the queue position for a queued instance, a
// spinner (advancing with frame) for a transitional one.
func StatusSymbol(in *model.Instance, frame int) string {
	switch in.Class {
	case model.ClassRunning:
		return "●"
	case model.ClassStopped:
		return "○"
	case model.ClassFailed:
		return "✗"
	case model.ClassQueued:
		if in.QueueRank > 0 {
			return "#" + strconv.Itoa(in.QueueRank)
		}
		return "⋯"
	case model.ClassTransitional:
		return spinFrames[frame%len(spinFrames)]
	}
	return "?"
}

// StatusTone is the tone of a status class.
func StatusTone(c model.StatusClass) Tone {
	switch c {
	case model.ClassRunning:
		return ToneRunning
	case model.ClassTransitional:
		return ToneTransitional
	case model.ClassStopped:
		return ToneStopped
	case model.ClassFailed:
		return ToneFailed
	case model.ClassQueued:
		return ToneQueued
	}
	return ToneMuted
}

// LevelTone is the tone of a countdown urgency.
func LevelTone(l text.Level) Tone {
	switch l {
	case text.LevelOK:
		return ToneCell
	case text.LevelWarning:
		return ToneWarning
	case text.LevelDanger:
		return ToneDanger
	}
	return ToneMuted
}

func statusCell(in *model.Instance, at At) Cell {
	return Cell{Text: StatusSymbol(in, at.Frame) + " " + text.Sanitize(in.Status), Tone: StatusTone(in.Class)}
}

// statusPlain has no symbol (the class is in the word itself, and a spinner
// frame in a file means nothing); a queue position follows the status.
func statusPlain(in *model.Instance, _ At) string {
	s := text.Sanitize(in.Status)
	if in.Class == model.ClassQueued && in.QueueRank > 0 {
		s += " #" + strconv.Itoa(in.QueueRank)
	}
	return s
}

// classRank orders status classes by how much they need attention.
func classRank(c model.StatusClass) int {
	switch c {
	case model.ClassFailed:
		return 0
	case model.ClassTransitional:
		return 1
	case model.ClassQueued:
		return 2
	case model.ClassRunning:
		return 3
	case model.ClassStopped:
		return 4
	}
	return 5
}

func compareStatus(a, b *model.Instance) int {
	return cmp.Or(cmp.Compare(classRank(a.Class), classRank(b.Class)), strings.Compare(a.Status, b.Status))
}

// compareFlavor orders by accelerator kind, then by size.
func compareFlavor(a, b *model.Instance) int {
	return cmp.Or(strings.Compare(string(a.Spec.Kind), string(b.Spec.Kind)),
		cmp.Compare(a.Spec.Count, b.Spec.Count),
		cmp.Compare(a.Spec.VCPUs, b.Spec.VCPUs),
		cmp.Compare(a.Spec.MemoryBytes, b.Spec.MemoryBytes))
}

// dropTrailingParts shortens a " · "-separated summary ("Ascend 910 ×8 ·
// 192 vCPU · 1.5 TiB") by whole parts from the end until it fits in w, so a
// narrow flavor column still says "Ascend 910 ×8" instead of "Ascend 910 ×8
// · 19…". The first part is kept even when it does not fit (Fit cuts it).
func dropTrailingParts(s string, w int) string {
	for text.Width(s) > w {
		i := strings.LastIndex(s, " · ")
		if i < 0 {
			break
		}
		s = s[:i]
	}
	return s
}

func autoStopCell(in *model.Instance, at At) Cell {
	s, l := text.AutoStopCell(in, at.Now)
	return Cell{Text: s, Tone: LevelTone(l)}
}

// deadlineKey orders by when an instance will auto-stop; instances that
// will not (not running, off, idle) sort after all real deadlines.
func deadlineKey(in *model.Instance) int64 {
	if in.Status == "RUNNING" && in.AutoStop.Enabled && !strings.EqualFold(in.AutoStop.Type, "IDLE") && !in.AutoStop.Deadline.IsZero() {
		return in.AutoStop.Deadline.UnixNano()
	}
	return 1<<63 - 1
}

func compareDeadline(a, b *model.Instance) int { return cmp.Compare(deadlineKey(a), deadlineKey(b)) }

func ageCell(in *model.Instance, at At) Cell {
	if in.Created.IsZero() {
		return Cell{Text: "—", Tone: ToneMuted}
	}
	return Cell{Text: text.Age(at.Now.Sub(in.Created)), Tone: ToneMuted}
}

func genLabel(g model.Generation) string {
	if g == model.Gen1 {
		return "G1"
	}
	return "G2"
}

// compareFold compares case-insensitively (strings.ToLower does not
// allocate for strings that are already lower case).
func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
