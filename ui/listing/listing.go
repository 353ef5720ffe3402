// Package listing prints instances for `matui list` and `matui get`: an
// aligned plain-text table for people and stable JSON (the normalised
// model.Instance) for scripts. Every string from the API is sanitised first,
// because this output goes to a terminal as surely as the dashboard does.
package listing

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"matui/model"
	"matui/ui/text"
)

// Columns of the table, in order.
var header = []string{"NAME", "GEN", "STATUS", "SPEC", "AUTO-STOP", "AGE", "OWNER", "ID"}

// Table writes insts as an aligned table. now is the server time used for
// countdowns and ages. Columns are padded by display width, so CJK and emoji
// names line up.
func Table(w io.Writer, insts []model.Instance, now time.Time) error {
	rows := make([][]string, 0, len(insts)+1)
	rows = append(rows, header)
	for i := range insts {
		rows = append(rows, row(&insts[i], now))
	}
	widths := make([]int, len(header))
	for _, r := range rows {
		for c, cell := range r {
			widths[c] = max(widths[c], text.Width(cell))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for c, cell := range r {
			if c == len(r)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(cell)
			b.WriteString(strings.Repeat(" ", widths[c]-text.Width(cell)+2))
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

func row(in *model.Instance, now time.Time) []string {
	status := text.Sanitize(in.Status)
	if in.Class == model.ClassQueued && in.QueueRank > 0 {
		status += fmt.Sprintf(" #%d", in.QueueRank)
	}
	autoStop, _ := text.AutoStopCell(in, now)
	age := "—"
	if !in.Created.IsZero() {
		age = text.Age(now.Sub(in.Created))
	}
	gen := "G2"
	if in.Generation == model.Gen1 {
		gen = "G1"
	}
	return []string{
		orDash(text.Sanitize(in.Name)),
		gen,
		orDash(status),
		orDash(text.Flavor(in.Spec, in.Flavor)),
		autoStop,
		age,
		orDash(text.Sanitize(in.Owner)),
		text.Sanitize(in.ID),
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// JSON writes insts as an indented JSON array of the normalised view. String
// fields that came from the API are sanitised: the output is meant for
// scripts, but it lands on terminals too.
func JSON(w io.Writer, insts []model.Instance) error {
	clean := make([]model.Instance, len(insts))
	for i := range insts {
		clean[i] = Sanitized(insts[i])
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(clean)
}

// Sanitized returns a copy of in whose display strings are free of control
// characters and escape sequences.
func Sanitized(in model.Instance) model.Instance {
	s := text.Sanitize
	in.ID, in.Name, in.Description, in.Status = s(in.ID), s(in.Name), s(in.Description), s(in.Status)
	in.Feature, in.Flavor, in.Image, in.ImageID = s(in.Feature), s(in.Flavor), s(in.Image), s(in.ImageID)
	in.Owner, in.URL, in.Pool, in.FailReason = s(in.Owner), s(in.URL), s(in.Pool), s(in.FailReason)
	in.Spec.Type, in.Spec.Arch = s(in.Spec.Type), s(in.Spec.Arch)
	in.Storage.Kind, in.Storage.Path, in.Storage.Status = s(in.Storage.Kind), s(in.Storage.Path), s(in.Storage.Status)
	in.AutoStop.Type = s(in.AutoStop.Type)
	if len(in.Progress) > 0 {
		steps := make([]model.Step, len(in.Progress))
		for i, st := range in.Progress {
			steps[i] = model.Step{Step: st.Step, Status: s(st.Status), Description: s(st.Description)}
		}
		in.Progress = steps
	}
	return in
}

// Details writes one instance as labelled lines for `matui get`.
func Details(w io.Writer, in model.Instance, now time.Time) error {
	in = Sanitized(in)
	autoStop, _ := text.AutoStopCell(&in, now)
	lines := [][2]string{
		{"Name", in.Name},
		{"ID", in.ID},
		{"Generation", in.Generation.String()},
		{"Status", fmt.Sprintf("%s (%s)", in.Status, in.Class)},
		{"Flavor", in.Flavor},
		{"Spec", text.Flavor(in.Spec, in.Flavor)},
		{"Arch", in.Spec.Arch},
		{"Image", in.Image},
		{"Storage", strings.TrimSpace(fmt.Sprintf("%s %s %s", in.Storage.Kind, sizeGB(in.Storage.CapacityGB), in.Storage.Path))},
		{"Auto-stop", autoStop},
		{"Deadline", timeOrEmpty(in.AutoStop.Deadline)},
		{"Created", timeOrEmpty(in.Created)},
		{"Owner", in.Owner},
		{"Pool", in.Pool},
		{"URL", in.URL},
		{"Failure", in.FailReason},
		{"Description", in.Description},
	}
	for _, l := range lines {
		if l[1] == "" {
			continue
		}
		if _, err := fmt.Fprintf(w, "%-12s %s\n", l[0]+":", l[1]); err != nil {
			return err
		}
	}
	return nil
}

func sizeGB(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("%d GB", n)
}

func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
