// Package columns is the one registry of instance columns shared by the
// dashboard table (ui/table) and `matui list` (ui/listing). A column is one
// entry: its title, how it claims width, the text of its cell for an
// instance, how it sorts, and whether that text is static (a function of the
// instance alone, so a screen may cache it until the text changes) or ticking
// (it moves with the clock or the spinner and is drawn every frame).
//
// The package knows nothing of styles: a cell says which Tone it wants and
// the screen maps tones to its theme; plain output ignores them.
package columns

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"matui/model"
	"matui/ui/text"
)

// Column identifies a registry entry.
type Column int

// The columns, in the dashboard's display order (ID is only in `matui list`).
const (
	Name Column = iota
	Gen
	Status
	Flavor
	Image
	AutoStop
	Age
	Owner
	Mounts
	Tags
	Pin
	ID
	// Count is the number of columns; arrays indexed by Column use it.
	Count
)

// Width is how a column claims horizontal space on a screen.
type Width struct {
	// Min is the narrowest the column is shown at; it is raised to fit the
	// title plus a sort arrow, so a sorted header is never cut.
	Min int
	// Comfy is the width worth keeping before another column is added.
	Comfy int
	// Max caps the column while other columns still want space; once every
	// column has what it wants, space left over lets columns grow to their
	// content.
	Max int
	// Rank is the importance: when the screen is narrow, the highest rank
	// is dropped first. Ranks are unique.
	Rank int
	// Essential columns are kept whenever their minimum fits; the others
	// are only added when every shown column still gets its Comfy width.
	Essential bool
	// Right aligns the cell to the right (numbers, countdowns).
	Right bool
	// Sparse columns are shown only when some instance has a cell in them
	// (a column of blanks is wasted space).
	Sparse bool
}

// At is what a ticking cell depends on besides the instance.
type At struct {
	Now   time.Time // server time: countdowns and ages follow the server's clock
	Frame int       // spinner frame, one per program tick
	// Pin labels a pinned instance's keep-alive ("⚑ until 19:00"); nil or
	// "" when it is not pinned. Pins are the dashboard's, not the API's.
	Pin func(id string) string
}

// Cell is a column's text for one instance and how a screen colours it.
type Cell struct {
	Text string
	Tone Tone
}

// Tone is the colour role of a cell; a screen maps it to its theme.
type Tone uint8

// Tones. The status tones follow model.StatusClass, the warning and danger
// tones text.Level.
const (
	ToneCell Tone = iota
	ToneMuted
	ToneRunning
	ToneTransitional
	ToneStopped
	ToneFailed
	ToneQueued
	ToneWarning
	ToneDanger
)

// entry is one column. Cell must be cheap and must sanitise every API string
// it shows. Plain, when set, is the text for plain output (`matui list`),
// where a spinner frame would be a frozen animation in a file; it defaults
// to Cell's text. Shorten, when set, shortens a text that does not fit
// better than cutting it with "…" would.
type entry struct {
	title   string
	width   Width
	ticking bool
	cell    func(in *model.Instance, at At) Cell
	plain   func(in *model.Instance, at At) string
	compare func(a, b *model.Instance) int
	shorten func(s string, w int) string
}

// registry holds every column; it is read-only after initialisation.
//
// Adding a column (TAGS, MOUNTS, …) is one entry here plus its constant above
// (before Count): title, width rule with a rank of its own, the cell (static
// unless it moves with the clock), and the comparator. Then list it where it
// should appear: the dashboard's set in ui/table (New) and/or `matui list`'s
// in ui/listing. Nothing else needs to change: the table derives caching,
// content widths, layout, sorting and the header from the entry.
var registry = [Count]entry{
	Name: {
		title: "NAME",
		width: Width{Min: 8, Comfy: 16, Max: 40, Rank: 0, Essential: true},
		cell:  func(in *model.Instance, _ At) Cell { return Cell{Text: displayName(in)} },
		// Raw strings: sorting runs n·log n comparisons per refresh, and
		// sanitising only removes what no name should contain.
		compare: func(a, b *model.Instance) int { return compareFold(rawName(a), rawName(b)) },
	},
	Status: {
		title:   "STATUS",
		width:   Width{Min: 9, Comfy: 14, Max: 18, Rank: 1, Essential: true},
		ticking: true, // the spinner of transitional states
		cell:    statusCell,
		plain:   statusPlain,
		compare: compareStatus,
	},
	Flavor: {
		// The accelerator kind is the most important column after name and
		// status (issue 13): Min fits an accelerator summary such as
		// "Ascend 910B ×8", to which the cell is shortened when narrow.
		title:   "FLAVOR",
		width:   Width{Min: 14, Comfy: 24, Max: 36, Rank: 2, Essential: true},
		cell:    func(in *model.Instance, _ At) Cell { return Cell{Text: text.Flavor(in.Spec, in.Flavor)} },
		compare: compareFlavor,
		shorten: dropTrailingParts,
	},
	AutoStop: {
		title:   "AUTO-STOP",
		width:   Width{Min: 9, Comfy: 9, Max: 9, Rank: 3, Essential: true, Right: true},
		ticking: true,
		cell:    autoStopCell,
		compare: compareDeadline,
	},
	Gen: {
		title:   "GEN",
		width:   Width{Min: 3, Comfy: 3, Max: 3, Rank: 5},
		cell:    func(in *model.Instance, _ At) Cell { return Cell{Text: genLabel(in.Generation), Tone: ToneMuted} },
		compare: func(a, b *model.Instance) int { return cmp.Compare(a.Generation, b.Generation) },
	},
	Age: {
		title:   "AGE",
		width:   Width{Min: 4, Comfy: 4, Max: 4, Rank: 6, Right: true},
		ticking: true,
		cell:    ageCell,
		// Ascending age = youngest first.
		compare: func(a, b *model.Instance) int { return -a.Created.Compare(b.Created) },
	},
	Image: {
		title:   "IMAGE",
		width:   Width{Min: 10, Comfy: 16, Max: 40, Rank: 7},
		cell:    func(in *model.Instance, _ At) Cell { return Cell{Text: text.Sanitize(in.Image), Tone: ToneMuted} },
		compare: func(a, b *model.Instance) int { return compareFold(a.Image, b.Image) },
	},
	Owner: {
		title:   "OWNER",
		width:   Width{Min: 5, Comfy: 8, Max: 16, Rank: 8},
		cell:    func(in *model.Instance, _ At) Cell { return Cell{Text: text.Sanitize(in.Owner), Tone: ToneMuted} },
		compare: func(a, b *model.Instance) int { return compareFold(a.Owner, b.Owner) },
	},
	Mounts: {
		// The number of dynamic storage mounts (issue 11): shown where
		// there is room; the details list them.
		title:   "MNT",
		width:   Width{Min: 3, Comfy: 3, Max: 3, Rank: 10, Right: true, Sparse: true},
		cell:    mountsCell,
		compare: func(a, b *model.Instance) int { return cmp.Compare(len(a.Mounts), len(b.Mounts)) },
	},
	Tags: {
		title:   "TAGS",
		width:   Width{Min: 6, Comfy: 16, Max: 32, Rank: 11, Sparse: true},
		cell:    func(in *model.Instance, _ At) Cell { return Cell{Text: tagsText(in.Tags), Tone: ToneMuted} },
		compare: func(a, b *model.Instance) int { return strings.Compare(tagsText(a.Tags), tagsText(b.Tags)) },
	},
	Pin: {
		// A keep-alive pin and its cap (issue 12): matui's state, not the
		// instance's, so it is read at draw time (ticking) from At.Pin.
		title:   "PIN",
		width:   Width{Min: 4, Comfy: 13, Max: 16, Rank: 4, Sparse: true},
		ticking: true,
		cell: func(in *model.Instance, at At) Cell {
			if at.Pin == nil {
				return Cell{}
			}
			return Cell{Text: at.Pin(in.ID), Tone: ToneWarning}
		},
		compare: func(a, b *model.Instance) int { return 0 },
	},
	ID: {
		title:   "ID",
		width:   Width{Min: 8, Comfy: 36, Max: 36, Rank: 9},
		cell:    func(in *model.Instance, _ At) Cell { return Cell{Text: text.Sanitize(in.ID), Tone: ToneMuted} },
		compare: func(a, b *model.Instance) int { return strings.Compare(a.ID, b.ID) },
	},
}

// mountsCell is the number of mounts, "" for none (an empty column reads
// better than a column of zeros).
func mountsCell(in *model.Instance, _ At) Cell {
	if len(in.Mounts) == 0 {
		return Cell{}
	}
	return Cell{Text: strconv.Itoa(len(in.Mounts)), Tone: ToneMuted}
}

// tagsText is key=value, comma-separated, sanitised.
func tagsText(tags []model.Tag) string {
	if len(tags) == 0 {
		return ""
	}
	parts := make([]string, len(tags))
	for i, t := range tags {
		parts[i] = text.Sanitize(t.Key)
		if t.Value != "" {
			parts[i] += "=" + text.Sanitize(t.Value)
		}
	}
	return strings.Join(parts, ",")
}

func (c Column) valid() bool { return c >= 0 && c < Count }

// String is the column title ("?" for an unknown column).
func (c Column) String() string {
	if !c.valid() {
		return "?"
	}
	return registry[c].title
}

// Width is the column's width rule, with Min raised to fit the title plus a
// sort arrow and Max never below Min.
func (c Column) Width() Width {
	w := registry[c].width
	w.Min = max(w.Min, text.Width(registry[c].title)+1)
	w.Comfy = max(w.Comfy, w.Min)
	w.Max = max(w.Max, w.Comfy)
	return w
}

// Static reports whether the cell depends on the instance alone, so a
// screen may cache it until its text changes.
func (c Column) Static() bool { return !registry[c].ticking }

// Cell is the column's cell for in at server time at.Now.
func (c Column) Cell(in *model.Instance, at At) Cell { return registry[c].cell(in, at) }

// Plain is the cell's text for plain output; an empty cell is "—", so
// every row has a word in every column for tools that split on blanks.
func (c Column) Plain(in *model.Instance, now time.Time) string {
	var s string
	if p := registry[c].plain; p != nil {
		s = p(in, At{Now: now})
	} else {
		s = registry[c].cell(in, At{Now: now}).Text
	}
	if s == "" {
		return "—"
	}
	return s
}

// Compare orders two instances by this column, ascending; 0 when equal.
func (c Column) Compare(a, b *model.Instance) int { return registry[c].compare(a, b) }

// Fit shortens s to w cells (with the column's own shortening first, then
// "…") and pads it to exactly w cells on the column's side.
func (c Column) Fit(s string, w int) string {
	if sh := registry[c].shorten; sh != nil && text.Width(s) > w {
		s = sh(s, w)
	}
	if registry[c].width.Right {
		return text.FitRight(s, w)
	}
	return text.Fit(s, w)
}
