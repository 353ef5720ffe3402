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
	max   int
	prio  int
	right bool
}

var specs = [numCols]colSpec{
	ColName:     {title: "NAME", min: 8, max: 40, prio: 0},
	ColGen:      {title: "GEN", min: 3, max: 3, prio: 4},
	ColStatus:   {title: "STATUS", min: 9, max: 18, prio: 1},
	ColFlavor:   {title: "FLAVOR", min: 10, max: 36, prio: 3},
	ColImage:    {title: "IMAGE", min: 10, max: 40, prio: 6},
	ColAutoStop: {title: "AUTO-STOP", min: 9, max: 9, prio: 2, right: true},
	ColAge:      {title: "AGE", min: 4, max: 4, prio: 5, right: true},
	ColOwner:    {title: "OWNER", min: 5, max: 16, prio: 7},
}

// String is the column title.
func (c Column) String() string {
	if c < 0 || c >= numCols {
		return "?"
	}
	return specs[c].title
}

// gutter is the mark column ("✓ ") in front of every row.
const gutter = 2

// layout is the width of each column; 0 means hidden.
type layout [numCols]int

// computeLayout fits columns into width: start every column at its minimum,
// drop the least important ones until the minimums fit, then grow columns
// towards their content width in importance order. Space left after that
// stays at the right edge: columns sized to their content read better than
// columns stretched apart.
func computeLayout(width int, content [numCols]int) layout {
	var l layout
	avail := width - gutter
	if avail <= 0 {
		return l
	}
	on := [numCols]bool{}
	for c := range numCols {
		on[c] = true
	}
	need := func() int {
		n, cols := 0, 0
		for c := range numCols {
			if on[c] {
				n += specs[c].min
				cols++
			}
		}
		if cols > 1 {
			n += cols - 1 // one-space separators
		}
		return n
	}
	for need() > avail {
		worst := Column(-1)
		for c := range numCols {
			if on[c] && specs[c].prio > 0 && (worst < 0 || specs[c].prio > specs[worst].prio) {
				worst = c
			}
		}
		if worst < 0 {
			break
		}
		on[worst] = false
	}
	if need() > avail {
		// Only the name is left and even its minimum does not fit.
		l[ColName] = avail
		return l
	}
	for c := range numCols {
		if on[c] {
			l[c] = specs[c].min
		}
	}
	extra := avail - need()
	order := make([]Column, 0, numCols)
	for p := 0; p < 8; p++ {
		for c := range numCols {
			if on[c] && specs[c].prio == p {
				order = append(order, c)
			}
		}
	}
	for _, c := range order {
		want := min(max(content[c], len(specs[c].title)+1), specs[c].max)
		if grow := want - l[c]; grow > 0 {
			g := min(grow, extra)
			l[c] += g
			extra -= g
		}
	}
	return l
}
