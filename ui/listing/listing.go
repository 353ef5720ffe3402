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
	"matui/model/termsafe"
	"matui/ui/columns"
	"matui/ui/text"
)

// tableColumns are the registry's columns `matui list` prints, in order: the
// dashboard's without the image, and the ID that scripts pass to `matui get`.
var tableColumns = [...]columns.Column{
	columns.Name, columns.Gen, columns.Status, columns.Flavor, columns.AutoStop, columns.Age, columns.Owner, columns.ID,
}

// Table writes insts as an aligned table of the registry's plain cells. now
// is the server time used for countdowns and ages. Columns are padded by
// display width, so CJK and emoji names line up.
func Table(w io.Writer, insts []model.Instance, now time.Time) error {
	rows := make([][len(tableColumns)]string, len(insts)+1)
	var widths [len(tableColumns)]int
	for i, c := range tableColumns {
		rows[0][i] = c.String()
	}
	for r := range insts {
		for i, c := range tableColumns {
			rows[r+1][i] = c.Plain(&insts[r], now)
		}
	}
	for r := range rows {
		for i, cell := range rows[r] {
			widths[i] = max(widths[i], text.Width(cell))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-text.Width(cell)+2))
			}
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// JSON writes insts as an indented JSON array of the normalised view.
// Every string is sanitised before it is encoded, nested ones (endpoints,
// affinity rules, tags, mounts, progress) included: the output is meant for
// scripts, but it lands on terminals too, and `jq -r` would bring an escaped
// control character back to life.
func JSON(w io.Writer, insts []model.Instance) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(termsafe.Copy(insts))
}

// Sanitized returns a copy of in whose strings — every exported string
// field, at any depth, found by reflection so that a field added to
// model.Instance later is covered too — are free of control characters,
// escape sequences and bidi controls. in is not modified.
func Sanitized(in model.Instance) model.Instance { return termsafe.Copy(in) }

// Raw writes the instance as the API returned it (secrets redacted) with
// every string value and member name sanitised, for `matui get -o raw`.
// unsafe writes the API's bytes as they are instead (`--unsafe-raw`, for
// scripts that must see exactly what the service stored).
func Raw(w io.Writer, in *model.Instance, unsafe bool) error {
	raw := in.RawJSON()
	if !unsafe {
		raw = termsafe.JSON(raw)
	}
	_, err := fmt.Fprintln(w, string(raw))
	return err
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
