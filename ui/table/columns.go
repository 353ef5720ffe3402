package table

// Column identifies a table column.
type Column int

// Columns in display order.
const (
	ColName Column = iota
	ColGen
	ColStatus
	ColFlavor
	ColImage
	ColAutoStop
	ColAge
	ColOwner
	numCols
)

// colSpec describes how a column claims width. prio orders what is dropped
// first when the terminal is narrow (highest prio number goes first); want
// is the cap when content is known (max content width is measured per
// refresh, never per frame).
type colSpec struct {
	title string
	min   int
	comfy int // width worth keeping before adding another column
	max   int
	prio  int
	right bool
}

var specs = [numCols]colSpec{
	ColName:     {title: "NAME", min: 8, comfy: 16, max: 40, prio: 0},
	ColGen:      {title: "GEN", min: 3, comfy: 3, max: 3, prio: 4},
	ColStatus:   {title: "STATUS", min: 9, comfy: 14, max: 18, prio: 1},
	ColFlavor:   {title: "FLAVOR", min: 10, comfy: 24, max: 36, prio: 3},
	ColImage:    {title: "IMAGE", min: 10, comfy: 16, max: 40, prio: 6},
	ColAutoStop: {title: "AUTO-STOP", min: 9, comfy: 9, max: 9, prio: 2, right: true},
	ColAge:      {title: "AGE", min: 4, comfy: 4, max: 4, prio: 5, right: true},
	ColOwner:    {title: "OWNER", min: 5, comfy: 8, max: 16, prio: 7},
}

// String is the column title.
func (c Column) String() string {
	if c < 0 || c >= numCols {
		return "?"
	}
	return specs[c].title
}

// essentialPrio: columns at or above this importance are kept at their
// minimum width rather than dropped.
const essentialPrio = 2

// gutter is the mark column ("✓ ") in front of every row.
const gutter = 2

// layout is the width of each column; 0 means hidden.
type layout [numCols]int

// computeLayout fits columns into width. The three essential columns
// (name, status, auto-stop) are kept whenever their minimums fit; each
// further column, in importance order, is added only if every chosen column
// still gets a comfortable width — so at 80 columns the flavor is readable
// rather than six columns squeezed to "V100 …". Widths then grow towards
// comfortable, then towards the content width, in importance order. Space
// left after that stays at the right edge: columns sized to their content
// read better than columns stretched apart.
func computeLayout(width int, content [numCols]int) layout {
	var l layout
	avail := width - gutter
	if avail <= 0 {
		return l
	}
	want := func(c Column) int {
		return min(max(content[c], len(specs[c].title)+1, specs[c].min), specs[c].max)
	}
	comfy := func(c Column) int { return max(min(want(c), specs[c].comfy), specs[c].min) }
	order := make([]Column, 0, numCols)
	for p := 0; p < int(numCols); p++ {
		for c := range numCols {
			if specs[c].prio == p {
				order = append(order, c)
			}
		}
	}
	var on []Column
	sum := func(cols []Column, w func(Column) int) int {
		n := max(len(cols)-1, 0)
		for _, c := range cols {
			n += w(c)
		}
		return n
	}
	minW := func(c Column) int { return specs[c].min }
	for _, c := range order {
		cand := append(append([]Column(nil), on...), c)
		fits := sum(cand, comfy) <= avail
		if specs[c].prio <= essentialPrio {
			fits = sum(cand, minW) <= avail
		}
		if fits {
			on = cand
		}
	}
	if len(on) == 0 {
		l[ColName] = avail
		return l
	}
	for _, c := range on {
		l[c] = specs[c].min
	}
	extra := avail - sum(on, minW)
	for _, target := range []func(Column) int{comfy, want} {
		for _, c := range order {
			if l[c] == 0 || extra <= 0 {
				continue
			}
			if grow := target(c) - l[c]; grow > 0 {
				g := min(grow, extra)
				l[c] += g
				extra -= g
			}
		}
	}
	return l
}
