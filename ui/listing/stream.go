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

// Writer prints instances as they arrive, for `matui list` over a large
// project: memory stays flat and the first rows appear after the first
// page, not after the last. Write takes any number of instances, Close
// ends the output (an empty table still gets its header, an empty JSON
// array is "[]").
type Writer interface {
	Write(insts []model.Instance) error
	Close() error
}

// Formats NewWriter knows.
const (
	FormatTable = "table"
	FormatJSON  = "json"
	FormatJSONL = "jsonl"
)

// NewWriter returns the streaming writer for format: "table" (columns as
// wide as the widest cell so far: the first batch sets the widths, a wider
// cell later widens its column from that row on, rows already written stay
// as they are), "json" (one JSON array, as JSON writes it, written element
// by element) or "jsonl" (one compact JSON object per line). now is the
// server time for countdowns and ages, read per batch.
func NewWriter(w io.Writer, format string, now func() time.Time) (Writer, error) {
	switch format {
	case FormatTable:
		return &tableWriter{w: w, now: now}, nil
	case FormatJSON:
		return &jsonWriter{w: w}, nil
	case FormatJSONL:
		return &jsonlWriter{w: w}, nil
	}
	return nil, fmt.Errorf("output format %q: must be table, json or jsonl", format)
}

type tableWriter struct {
	w       io.Writer
	now     func() time.Time
	widths  [len(tableColumns)]int
	started bool
	b       strings.Builder
}

func (t *tableWriter) Write(insts []model.Instance) error {
	if !t.started && len(insts) == 0 {
		// A page a filter emptied: the header waits for the first rows, so
		// its widths are theirs (Close writes it alone if none come).
		return nil
	}
	return t.write(insts)
}

// write writes insts, after the header when it is the first write.
func (t *tableWriter) write(insts []model.Instance) error {
	now := t.now()
	rows := make([][len(tableColumns)]string, len(insts), len(insts)+1)
	for r := range insts {
		for i, c := range tableColumns {
			rows[r][i] = c.Plain(&insts[r], now)
		}
	}
	if !t.started {
		var head [len(tableColumns)]string
		for i, c := range tableColumns {
			head[i] = c.String()
		}
		rows = append([][len(tableColumns)]string{head}, rows...)
		t.started = true
	}
	for r := range rows {
		for i, cell := range rows[r] {
			t.widths[i] = max(t.widths[i], text.Width(cell))
		}
	}
	for _, r := range rows {
		t.b.Reset()
		for i, cell := range r {
			t.b.WriteString(cell)
			if i < len(r)-1 {
				t.b.WriteString(strings.Repeat(" ", t.widths[i]-text.Width(cell)+2))
			}
		}
		t.b.WriteByte('\n')
		if _, err := io.WriteString(t.w, t.b.String()); err != nil {
			return err
		}
	}
	return nil
}

func (t *tableWriter) Close() error {
	if !t.started {
		return t.write(nil)
	}
	return nil
}

type jsonWriter struct {
	w io.Writer
	n int
}

// Write continues the array exactly as JSON's encoder would lay it out.
func (j *jsonWriter) Write(insts []model.Instance) error {
	for i := range insts {
		b, err := json.MarshalIndent(Sanitized(insts[i]), "  ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n  "
		if j.n == 0 {
			sep = "[\n  "
		}
		j.n++
		if _, err := io.WriteString(j.w, sep); err != nil {
			return err
		}
		if _, err := j.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (j *jsonWriter) Close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

type jsonlWriter struct{ w io.Writer }

func (j *jsonlWriter) Write(insts []model.Instance) error {
	for i := range insts {
		b, err := json.Marshal(Sanitized(insts[i]))
		if err != nil {
			return err
		}
		if _, err := j.w.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	return nil
}

func (j *jsonlWriter) Close() error { return nil }
