package table

import (
	"slices"

	"matui/ui/columns"
)

// gutter is the mark column ("✓ ") in front of every row.
const gutter = 2

// colSet is the columns a table shows, with what the table derives from
// the registry once: width rules, importance order, and where each static
// column's text sits in a row.
type colSet struct {
	shown  []columns.Column // display order
	byRank []columns.Column // importance order, most important first
	width  [columns.Count]columns.Width
	static []columns.Column   // the static columns of shown; row.static follows it
	slot   [columns.Count]int // column → index into static, -1 when not static
}

func newColSet(shown ...columns.Column) colSet {
	s := colSet{shown: shown, byRank: slices.Clone(shown)}
	for i := range s.slot {
		s.slot[i] = -1
	}
	for _, c := range shown {
		s.width[c] = c.Width()
		if c.Static() {
			s.slot[c] = len(s.static)
			s.static = append(s.static, c)
		}
	}
	slices.SortStableFunc(s.byRank, func(a, b columns.Column) int { return s.width[a].Rank - s.width[b].Rank })
	return s
}

// variable reports whether the column's width depends on its content, the
// only columns whose content is measured.
func (s *colSet) variable(c columns.Column) bool {
	return s.width[c].Min < s.width[c].Max || s.width[c].Sparse
}

// layout is the width of each column; 0 means hidden.
type layout [columns.Count]int

// computeLayout fits the set's columns into width. Essential columns (name,
// status, flavor, auto-stop) are kept whenever their minimums fit, in
// importance order, so below that the least important of them goes first:
// at 40 columns that is AUTO-STOP (the details view still counts down).
// Each further column, in importance order, is added only if every chosen
// column still gets a comfortable width — so at 80 columns the flavor is
// readable rather than six columns squeezed to "V100 …". Widths then grow
// towards comfortable, then towards the content width capped at the rule's
// maximum, then — when every column has that and space is left — to the
// whole content, each step in importance order. Space left after that stays
// at the right edge: columns sized to their content read better than
// columns stretched apart.
func computeLayout(set *colSet, width int, content *[columns.Count]int) layout {
	var l layout
	avail := width - gutter
	if avail <= 0 {
		return l
	}
	full := func(c columns.Column) int { return max(content[c], set.width[c].Min) }
	want := func(c columns.Column) int { return min(full(c), set.width[c].Max) }
	comfy := func(c columns.Column) int { return min(want(c), set.width[c].Comfy) }
	minW := func(c columns.Column) int { return set.width[c].Min }
	sum := func(cols []columns.Column, w func(columns.Column) int) int {
		n := max(len(cols)-1, 0)
		for _, c := range cols {
			n += w(c)
		}
		return n
	}
	var on []columns.Column
	for _, c := range set.byRank {
		if set.width[c].Sparse && content[c] == 0 {
			continue // nothing to show in it
		}
		cand := append(slices.Clip(on), c)
		fits := sum(cand, comfy) <= avail
		if set.width[c].Essential {
			fits = sum(cand, minW) <= avail
		}
		if fits {
			on = cand
		}
	}
	if len(on) == 0 {
		if len(set.shown) > 0 {
			l[set.byRank[0]] = avail
		}
		return l
	}
	for _, c := range on {
		l[c] = minW(c)
	}
	extra := avail - sum(on, minW)
	for _, target := range []func(columns.Column) int{comfy, want, full} {
		for _, c := range on {
			if extra <= 0 {
				return l
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
