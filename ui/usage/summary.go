// Package usage is the data of the burn view: what runs now, on which
// accelerators, for whom, for how long and at what cost.
//
// Summarize gives the header line ("running: 3× Ascend 910 · 2× V100 · 58
// vCPU"); Build and Report.Rows give the `:usage` table, running
// instances grouped by owner, then flavor. Both cost O(instances) and
// belong where the list changes, not in the tick: only the cells that
// count time (Row.Cells) depend on the clock.
package usage

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"matui/model"
	"matui/ui/text"
)

// Accel is a number of accelerator cards of one type.
type Accel struct {
	Kind  model.AccelKind
	Type  string // "Ascend 910", "V100"; the kind when the spec names no type
	Cards int
}

func (a Accel) String() string { return strconv.Itoa(a.Cards) + "× " + text.Sanitize(a.Type) }

// Summary is what runs now.
type Summary struct {
	Instances int
	Accels    []Accel // most cards first, then by type
	VCPUs     float64 // of everything running, accelerated or not
}

// Summarize sums up the running instances of insts.
func Summarize(insts []model.Instance) Summary {
	var s Summary
	var cards map[Accel]int // keyed by kind and type, Cards zero
	for i := range insts {
		in := &insts[i]
		if in.Class != model.ClassRunning {
			continue
		}
		s.Instances++
		s.VCPUs += in.Spec.VCPUs
		if a, ok := accelOf(in.Spec); ok {
			if cards == nil {
				cards = make(map[Accel]int)
			}
			n := a.Cards
			a.Cards = 0
			cards[a] += n
		}
	}
	for a, n := range cards {
		a.Cards = n
		s.Accels = append(s.Accels, a)
	}
	sortAccels(s.Accels)
	return s
}

func sortAccels(as []Accel) {
	slices.SortFunc(as, func(a, b Accel) int {
		if c := cmp.Compare(b.Cards, a.Cards); c != 0 {
			return c
		}
		return strings.Compare(a.Type, b.Type)
	})
}

// accelOf is the accelerator cards of a spec. A GPU or Ascend flavor whose
// card count is unknown counts as one card: it has at least one.
func accelOf(spec model.Spec) (Accel, bool) {
	if spec.Kind != model.KindGPU && spec.Kind != model.KindAscend {
		return Accel{}, false
	}
	t := spec.Type
	if t == "" {
		t = string(spec.Kind)
	}
	return Accel{Kind: spec.Kind, Type: t, Cards: max(spec.Count, 1)}, true
}

// String is the header line: "running: 3× Ascend 910 · 2× V100 · 58 vCPU",
// "running: 2 instances" when their specs are unknown, "running: nothing".
func (s Summary) String() string {
	if s.Instances == 0 {
		return "running: nothing"
	}
	parts := make([]string, 0, len(s.Accels)+1)
	for _, a := range s.Accels {
		parts = append(parts, a.String())
	}
	if s.VCPUs > 0 {
		parts = append(parts, vcpus(s.VCPUs)+" vCPU")
	}
	if len(parts) == 0 {
		if s.Instances == 1 {
			return "running: 1 instance"
		}
		return "running: " + strconv.Itoa(s.Instances) + " instances"
	}
	return "running: " + strings.Join(parts, " · ")
}

func vcpus(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
