// Package affinity is the node-affinity rule editor of the Gen 2 notebook
// forms: two lists (required and preferred, the latter with an optional
// weight), each rule a key, an operator and values. It does no I/O: it is
// given the pool's node labels for suggestions and the notebook's current
// rules, and yields either a *model.Affinity (create) or a
// *model.AffinityUpdate (update) whose JSON is exactly seed 002's bodies.
package affinity

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/ui/dialog"
	"matui/ui/keys"
	"matui/ui/text"
	"matui/ui/uictx"
)

// List selects one of the two rule lists.
type List int

const (
	Required  List = iota // required_during_scheduling_ignored_during_execution
	Preferred             // preferred_during_scheduling_ignored_during_execution
)

func (l List) String() string {
	if l == Preferred {
		return "Preferred"
	}
	return "Required"
}

// Operators in the order the operator field cycles through them.
var operators = [...]string{model.OpIn, model.OpNotIn, model.OpExists, model.OpDoesNotExist, model.OpGt, model.OpLt}

// Editor fields while a rule is being edited.
const (
	fieldKey = iota
	fieldOperator
	fieldValues
	fieldWeight
)

// Options configure an editor.
type Options struct {
	// Labels are the dedicated pool's node labels (key → values seen), used
	// for suggestions only: any valid key may be typed.
	Labels map[string][]string
	// Current is the notebook's affinity (update) or the initial rules (create).
	Current model.Affinity
	// Update makes the editor offer the three update intents; a create form
	// has no "leave unchanged".
	Update bool
}

// Editor is the rule editor. Use New; the zero value is not usable.
type Editor struct {
	ctx    *uictx.Context
	labels map[string][]string
	keys   []string // sorted label keys
	update bool

	rules  [2][]model.AffinityRule
	list   List
	cursor [2]int
	intent model.AffinityIntent
	dirty  bool

	// Rule being edited; editIndex -1 means a new rule appended on commit.
	editing   bool
	editIndex int
	field     int
	op        int
	keyIn     textinput.Model
	valuesIn  textinput.Model
	weightIn  textinput.Model
	// fieldErrs are the draft's errors, re-validated on every key like
	// every other form field; one is shown once its field was touched
	// (its value changed), or every one after a save attempt.
	fieldErrs map[int]string
	touched   map[int]bool
	attempted bool
}

// New returns an editor over opts.Current.
func New(ctx *uictx.Context, opts Options) *Editor {
	e := &Editor{ctx: ctx, labels: opts.Labels, update: opts.Update, fieldErrs: map[int]string{}}
	for k := range opts.Labels {
		e.keys = append(e.keys, k)
	}
	sort.Strings(e.keys)
	e.rules[Required] = cloneRules(opts.Current.Required)
	e.rules[Preferred] = cloneRules(opts.Current.Preferred)
	if !opts.Update {
		e.intent = model.AffinityReplace
	}
	e.keyIn = dialog.NewInput(ctx, "")
	e.keyIn.ShowSuggestions = true
	// tab completes a suggestion (shell-like) and otherwise moves to the
	// next field; up/down move between fields, so only ctrl+n/p cycle.
	e.keyIn.KeyMap.NextSuggestion = ctx.Keys.SuggestNext
	e.keyIn.KeyMap.PrevSuggestion = ctx.Keys.SuggestPrev
	e.keyIn.KeyMap.AcceptSuggestion = ctx.Keys.Complete
	e.keyIn.SetSuggestions(e.keys)
	e.valuesIn = dialog.NewInput(ctx, "")
	e.weightIn = dialog.NewInput(ctx, "")
	e.weightIn.CharLimit = 4
	return e
}

func cloneRules(rs []model.AffinityRule) []model.AffinityRule {
	out := make([]model.AffinityRule, 0, len(rs))
	for _, r := range rs {
		out = append(out, cloneRule(r))
	}
	return out
}

func cloneRule(r model.AffinityRule) model.AffinityRule {
	r.Values = slices.Clone(r.Values)
	if r.Weight != nil {
		w := *r.Weight
		r.Weight = &w
	}
	return r
}

// Rules returns a copy of one list.
func (e *Editor) Rules(l List) []model.AffinityRule { return cloneRules(e.rules[l]) }

// Intent is the chosen update intent (always Replace for a create editor).
func (e *Editor) Intent() model.AffinityIntent { return e.intent }

// SetIntent chooses the update intent.
func (e *Editor) SetIntent(i model.AffinityIntent) {
	if e.update {
		e.intent = i
	}
}

// Editing reports whether a rule is open for editing; a parent form lets
// the editor have esc and enter while it is.
func (e *Editor) Editing() bool { return e.editing }

// Dirty reports whether the user changed anything.
func (e *Editor) Dirty() bool { return e.dirty }

// Current is the list and index of the highlighted rule.
func (e *Editor) Current() (List, int) { return e.list, e.cursor[e.list] }

// Affinity returns the rules for a create request, nil when both lists are
// empty (the member is then omitted), or the first validation error.
func (e *Editor) Affinity() (*model.Affinity, error) {
	a := model.Affinity{Required: cloneRules(e.rules[Required]), Preferred: cloneRules(e.rules[Preferred])}
	if len(a.Required) == 0 && len(a.Preferred) == 0 {
		return nil, nil
	}
	if err := model.ValidateAffinity(a); err != nil {
		return nil, err
	}
	return &a, nil
}

// AffinityUpdate returns the `affinity` member of an update request for the
// chosen intent: nil (leave unchanged), ClearAffinity() or
// ReplaceAffinity(rules).
func (e *Editor) AffinityUpdate() (*model.AffinityUpdate, error) {
	switch e.intent {
	case model.AffinityClear:
		return model.ClearAffinity(), nil
	case model.AffinityReplace:
		a := model.Affinity{Required: e.rules[Required], Preferred: e.rules[Preferred]}
		if err := model.ValidateAffinity(a); err != nil {
			return nil, err
		}
		return model.ReplaceAffinity(a), nil
	}
	return nil, nil
}

// Preview is the JSON the editor currently produces, as it would appear in
// the request body, or the validation error that prevents it.
func (e *Editor) Preview() string {
	var v any
	if e.update {
		u, err := e.AffinityUpdate()
		if err != nil {
			return "invalid: " + err.Error()
		}
		if u == nil {
			return `(affinity not sent: leave unchanged)`
		}
		v = struct {
			A *model.AffinityUpdate `json:"affinity"`
		}{u}
	} else {
		a, err := e.Affinity()
		if err != nil {
			return "invalid: " + err.Error()
		}
		if a == nil {
			return `(affinity not sent: no rules)`
		}
		v = struct {
			A *model.Affinity `json:"affinity"`
		}{a}
	}
	b, err := text.MarshalIndent(v)
	if err != nil {
		return "invalid: " + err.Error()
	}
	return string(b)
}

// HandleKey processes one key press and reports whether the editor used it
// (a parent form handles the rest, e.g. esc outside an edit).
func (e *Editor) HandleKey(k tea.KeyPressMsg) (bool, tea.Cmd) {
	if e.editing {
		return true, e.editKey(k)
	}
	rs := e.rules[e.list]
	cur := e.cursor[e.list]
	km := &e.ctx.Keys
	switch {
	case key.Matches(k, km.Up):
		if cur > 0 {
			e.cursor[e.list]--
		}
	case key.Matches(k, km.Down):
		if cur < len(rs)-1 {
			e.cursor[e.list]++
		}
	case key.Matches(k, km.OtherList):
		e.list = 1 - e.list
	case key.Matches(k, km.AddRule):
		return true, e.openEditor(-1, model.AffinityRule{Operator: model.OpIn})
	case key.Matches(k, km.Confirm):
		if len(rs) == 0 {
			return true, e.openEditor(-1, model.AffinityRule{Operator: model.OpIn})
		}
		return true, e.openEditor(cur, rs[cur])
	case key.Matches(k, km.CopyRule):
		if len(rs) > 0 {
			dup := cloneRule(rs[cur])
			e.rules[e.list] = slices.Insert(rs, cur+1, dup)
			e.cursor[e.list] = cur + 1
			e.changed()
		}
	case key.Matches(k, km.DropRule):
		if len(rs) > 0 {
			e.rules[e.list] = slices.Delete(rs, cur, cur+1)
			if e.cursor[e.list] >= len(e.rules[e.list]) && e.cursor[e.list] > 0 {
				e.cursor[e.list]--
			}
			e.changed()
		}
	case key.Matches(k, km.RuleUp):
		if cur > 0 {
			rs[cur-1], rs[cur] = rs[cur], rs[cur-1]
			e.cursor[e.list]--
			e.changed()
		}
	case key.Matches(k, km.RuleDown):
		if cur < len(rs)-1 {
			rs[cur+1], rs[cur] = rs[cur], rs[cur+1]
			e.cursor[e.list]++
			e.changed()
		}
	case key.Matches(k, km.Intent):
		if !e.update {
			return false, nil
		}
		e.intent = (e.intent + 1) % 3
		e.dirty = true
	default:
		return false, nil
	}
	return true, nil
}

// changed records an edit of the rules. In an update form, editing rules
// while "leave unchanged" is chosen would silently drop the edit, so the
// intent moves to "replace"; the user can still switch it back.
func (e *Editor) changed() {
	e.dirty = true
	if e.update && e.intent == model.AffinityUnchanged {
		e.intent = model.AffinityReplace
	}
}

func (e *Editor) openEditor(idx int, r model.AffinityRule) tea.Cmd {
	e.editing = true
	e.editIndex = idx
	e.field = fieldKey
	e.op = max(slices.Index(operators[:], r.Operator), 0)
	e.keyIn.SetValue(text.Sanitize(r.Key))
	e.valuesIn.SetValue(text.Sanitize(joinValues(r.Values)))
	e.weightIn.SetValue("")
	if r.Weight != nil {
		e.weightIn.SetValue(strconv.Itoa(*r.Weight))
	}
	_, e.fieldErrs = e.validateDraft()
	e.touched, e.attempted = map[int]bool{}, false
	return e.focus()
}

// joinValues is the inverse of splitValues: an empty value is written "".
func joinValues(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		if v == "" {
			v = `""`
		}
		out[i] = v
	}
	return strings.Join(out, ", ")
}

// splitValues parses the values field: comma-separated, spaces trimmed,
// blank entries dropped (a trailing comma is a typo, not a value); `""`
// stands for the empty label value, which the API allows.
func splitValues(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		switch p {
		case "":
			continue
		case `""`:
			p = ""
		}
		out = append(out, p)
	}
	return out
}

func (e *Editor) operator() string { return operators[e.op] }

// valuesShown reports whether the values field applies to the operator.
// Exists/DoesNotExist take none; the typed text is kept (hidden) so that
// cycling through the operators loses nothing.
func (e *Editor) valuesShown() bool {
	op := e.operator()
	return op != model.OpExists && op != model.OpDoesNotExist
}

func (e *Editor) fieldVisible(f int) bool {
	switch f {
	case fieldValues:
		return e.valuesShown()
	case fieldWeight:
		return e.list == Preferred
	}
	return true
}

func (e *Editor) moveField(delta int) tea.Cmd {
	f := e.field
	for range 4 {
		f = (f + delta + 4) % 4
		if e.fieldVisible(f) {
			break
		}
	}
	e.field = f
	return e.focus()
}

func (e *Editor) focus() tea.Cmd {
	e.keyIn.Blur()
	e.valuesIn.Blur()
	e.weightIn.Blur()
	switch e.field {
	case fieldKey:
		return e.keyIn.Focus()
	case fieldValues:
		return e.valuesIn.Focus()
	case fieldWeight:
		return e.weightIn.Focus()
	}
	return nil
}

// draft is the rule as typed, with per-field parse errors.
func (e *Editor) draft() (model.AffinityRule, map[int]string) {
	errs := map[int]string{}
	r := model.AffinityRule{Key: strings.TrimSpace(e.keyIn.Value()), Operator: e.operator()}
	switch r.Operator {
	case model.OpExists, model.OpDoesNotExist:
		r.Values = []string{}
	default:
		r.Values = splitValues(e.valuesIn.Value())
		if r.Values == nil {
			r.Values = []string{}
		}
	}
	if e.list == Preferred {
		if w := strings.TrimSpace(e.weightIn.Value()); w != "" {
			n, err := strconv.Atoi(w)
			if err != nil {
				errs[fieldWeight] = (&model.FieldError{Field: "weight", Rule: "must be a whole number", Allowed: "0–100, or blank for none"}).Error()
			} else {
				r.Weight = &n
			}
		}
	}
	return r, errs
}

// validateDraft returns the messages to show under each field; empty when
// the rule is valid.
func (e *Editor) validateDraft() (model.AffinityRule, map[int]string) {
	r, errs := e.draft()
	if err := model.ValidateLabelKey(r.Key); err != nil {
		errs[fieldKey] = err.Error()
	}
	if r.Operator == model.OpIn || r.Operator == model.OpNotIn {
		for _, v := range r.Values {
			if err := model.ValidateLabelValue(v); err != nil {
				errs[fieldValues] = fmt.Sprintf("%q: %s", v, err.Error())
				break
			}
		}
	}
	if err := model.ValidateAffinityRule(r, e.list == Preferred); err != nil {
		var fe *model.FieldError
		f := fieldValues
		if errors.As(err, &fe) {
			switch {
			case strings.HasPrefix(fe.Field, "key"):
				f = fieldKey
			case strings.HasPrefix(fe.Field, "operator"):
				f = fieldOperator
			case strings.HasPrefix(fe.Field, "weight"):
				f = fieldWeight
			}
		}
		if _, ok := errs[f]; !ok {
			errs[f] = err.Error()
		}
	}
	return r, errs
}

func (e *Editor) commit() {
	r, errs := e.validateDraft()
	e.fieldErrs, e.attempted = errs, true
	if len(errs) > 0 {
		return
	}
	rs := e.rules[e.list]
	if e.editIndex < 0 || e.editIndex >= len(rs) {
		e.rules[e.list] = append(rs, r)
		e.cursor[e.list] = len(e.rules[e.list]) - 1
	} else {
		rs[e.editIndex] = r
	}
	e.editing = false
	e.changed()
}

// completing reports whether the label key input offers a suggestion
// beyond what was typed (then tab completes it instead of moving on).
func (e *Editor) completing() bool {
	s := e.keyIn.CurrentSuggestion()
	return e.field == fieldKey && s != "" && s != e.keyIn.Value() && e.keyIn.Value() != ""
}

func (e *Editor) editKey(k tea.KeyPressMsg) tea.Cmd {
	km := &e.ctx.Keys
	switch {
	case key.Matches(k, km.Back):
		e.editing = false
		return nil
	case key.Matches(k, km.Confirm):
		e.commit()
		return nil
	case key.Matches(k, km.Complete) && e.completing():
		before := e.keyIn.Value()
		var cmd tea.Cmd
		e.keyIn, cmd = e.keyIn.Update(k)
		e.edited(fieldKey, before)
		return cmd
	case key.Matches(k, km.NextField, km.Complete):
		return e.moveField(1)
	case key.Matches(k, km.PrevField):
		return e.moveField(-1)
	}
	before := e.fieldValue(e.field)
	var cmd tea.Cmd
	switch e.field {
	case fieldKey:
		e.keyIn, cmd = e.keyIn.Update(k)
	case fieldOperator:
		switch {
		case key.Matches(k, km.OptionPrev):
			e.op = (e.op + len(operators) - 1) % len(operators)
		case key.Matches(k, km.OptionNext, km.Activate):
			e.op = (e.op + 1) % len(operators)
		}
	case fieldValues:
		e.valuesIn, cmd = e.valuesIn.Update(k)
	case fieldWeight:
		e.weightIn, cmd = e.weightIn.Update(k)
	}
	e.edited(e.field, before)
	return cmd
}

// edited re-validates the draft after a key in field f, which held before
// until then: like every other form field, as typed.
func (e *Editor) edited(f int, before string) {
	if e.fieldValue(f) != before {
		e.touched[f] = true
	}
	_, e.fieldErrs = e.validateDraft()
}

// fieldValue is what field f of the draft holds, to tell a key that
// changed it from one that moved the cursor.
func (e *Editor) fieldValue(f int) string {
	switch f {
	case fieldKey:
		return e.keyIn.Value()
	case fieldOperator:
		return e.operator()
	case fieldValues:
		return e.valuesIn.Value()
	case fieldWeight:
		return e.weightIn.Value()
	}
	return ""
}

// errShown is the error to show under field f: a touched field's, or
// every field's after a save attempt.
func (e *Editor) errShown(f int) string {
	if !e.attempted && !e.touched[f] {
		return ""
	}
	return e.fieldErrs[f]
}

// Update is the tea-style entry point for standalone use.
func (e *Editor) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		_, cmd := e.HandleKey(k)
		return cmd
	}
	return nil
}

// RuleString renders a rule on one line, sanitised (keys and values may
// come from the API).
func RuleString(r model.AffinityRule) string {
	var b strings.Builder
	b.WriteString(text.Sanitize(r.Key))
	b.WriteString(" ")
	b.WriteString(r.Operator)
	if len(r.Values) > 0 {
		b.WriteString(" ")
		b.WriteString(text.Sanitize(joinValues(r.Values)))
	}
	if r.Weight != nil {
		fmt.Fprintf(&b, "  (weight %d)", *r.Weight)
	}
	return b.String()
}

// segment is one piece of a line flow lays out: the gap before it (left
// out at the start of a line) and the piece itself.
type segment struct{ gap, body string }

// flow lays segments out on lines at most w cells wide: one that does not
// fit on the current line starts the next, after indent (when that fits)
// and without its gap; one wider than a line is truncated.
func flow(segs []segment, w int, indent string) []string {
	var lines []string
	cur := ""
	for _, sg := range segs {
		switch {
		case cur == "":
			cur = sg.body
		case text.Width(cur)+text.Width(sg.gap+sg.body) <= w:
			cur += sg.gap + sg.body
		default:
			lines = append(lines, text.Truncate(cur, w))
			cur = sg.body
			if text.Width(indent+cur) <= w {
				cur = indent + cur
			}
		}
	}
	if cur != "" {
		lines = append(lines, text.Truncate(cur, w))
	}
	return lines
}

func valuesHint(op string) string {
	switch op {
	case model.OpIn, model.OpNotIn:
		return `one or more, comma-separated ("" = empty value)`
	case model.OpGt, model.OpLt:
		return "exactly one integer"
	}
	return "no values for " + op
}

// View renders the editor width cells wide.
func (e *Editor) View(width int) string {
	st := &e.ctx.Styles
	km := &e.ctx.Keys
	w := max(width, 20)
	var lines []string
	add := func(s string) { lines = append(lines, text.Truncate(s, w)) }
	if e.update {
		var opts []string
		for i := model.AffinityUnchanged; i <= model.AffinityClear; i++ {
			if i == e.intent {
				opts = append(opts, st.Selected.Render("("+i.String()+")"))
			} else {
				opts = append(opts, " "+i.String()+" ")
			}
		}
		// Wrapped, not cut: at 50 columns the last intent ("clear all")
		// and the key that changes it would be lost.
		segs := []segment{{"", "Intent: " + opts[0]}}
		for _, o := range opts[1:] {
			segs = append(segs, segment{" ", o})
		}
		segs = append(segs, segment{"  ", st.Muted.Render(keys.Hint(keys.H("change", km.Intent)))})
		lines = append(lines, flow(segs, w, "        ")...)
	}
	var tabs []string
	for _, l := range []List{Required, Preferred} {
		label := fmt.Sprintf("%s (%d)", l, len(e.rules[l]))
		if l == e.list {
			tabs = append(tabs, st.Selected.Render("["+label+"]"))
		} else {
			tabs = append(tabs, " "+label+" ")
		}
	}
	add(strings.Join(tabs, " "))
	rs := e.rules[e.list]
	if len(rs) == 0 {
		add(st.Muted.Render("  no rules — a to add"))
	}
	for i, r := range rs {
		prefix := "  "
		line := fmt.Sprintf("%d. %s", i+1, RuleString(r))
		if i == e.cursor[e.list] && !e.editing {
			prefix = "> "
			add(prefix + st.Selected.Render(text.Truncate(line, w-2)))
			continue
		}
		add(prefix + line)
	}
	if e.editing {
		add("")
		title := "New rule"
		if e.editIndex >= 0 {
			title = fmt.Sprintf("Edit rule %d", e.editIndex+1)
		}
		add(st.Section.Render(title + " (" + e.list.String() + ")"))
		mark := func(f int) string {
			if f == e.field {
				return "▸ "
			}
			return "  "
		}
		errLine := func(f int) {
			// Wrapped, not truncated: the allowed range at the end of the
			// message is the part the user needs.
			if m := e.errShown(f); m != "" {
				for _, l := range strings.Split(ansi.Wordwrap("✗ "+m, w-4, ""), "\n") {
					add("    " + st.Danger.Render(l))
				}
			}
		}
		e.keyIn.SetWidth(max(w-16, 10))
		add(mark(fieldKey) + "Key:      " + e.keyIn.View())
		if e.field == fieldKey {
			if m := e.keyIn.MatchedSuggestions(); len(m) > 0 && e.keyIn.Value() != "" {
				add("    " + st.Muted.Render("suggestions: "+text.Sanitize(strings.Join(m, ", "))+"  ("+
					keys.Hint(keys.H("complete", km.Complete), keys.H("cycle", km.SuggestNext, km.SuggestPrev))+")"))
			} else if len(e.keys) > 0 && e.keyIn.Value() == "" {
				add("    " + st.Muted.Render("pool labels: "+text.Sanitize(strings.Join(e.keys, ", "))))
			}
		}
		errLine(fieldKey)
		add(mark(fieldOperator) + "Operator: ‹ " + e.operator() + " ›" + st.Muted.Render("  "+keys.Hint(keys.H("change", km.OptionPrev, km.OptionNext))))
		errLine(fieldOperator)
		if e.valuesShown() {
			e.valuesIn.SetWidth(max(w-16, 10))
			add(mark(fieldValues) + "Values:   " + e.valuesIn.View())
			hint := valuesHint(e.operator())
			if known := e.labels[strings.TrimSpace(e.keyIn.Value())]; len(known) > 0 {
				hint += " · on the pool: " + text.Sanitize(strings.Join(known, ", "))
			}
			add("    " + st.Muted.Render(hint))
		} else {
			add("  Values:   " + st.Muted.Render(valuesHint(e.operator())))
		}
		errLine(fieldValues)
		if e.list == Preferred {
			add(mark(fieldWeight) + "Weight:   " + e.weightIn.View() + st.Muted.Render("  0–100, blank for none"))
			errLine(fieldWeight)
		}
		add(st.Muted.Render(keys.Hint(keys.H("next field", km.Complete, km.NextField), keys.H("save rule", km.Confirm), keys.H("cancel", km.Back))))
	} else {
		var segs []segment
		for _, h := range []keys.HintItem{keys.H("add", km.AddRule), keys.H("edit", km.Confirm), keys.H("duplicate", km.CopyRule),
			keys.H("delete", km.DropRule), keys.H("move", km.RuleUp, km.RuleDown), keys.H("switch list", km.OtherList)} {
			if k := keys.Hint(h); k != "" {
				gap := " · "
				if len(segs) == 0 {
					gap = ""
				}
				segs = append(segs, segment{gap, st.Muted.Render(k)})
			}
		}
		lines = append(lines, flow(segs, w, "")...)
	}
	add("")
	add(st.Section.Render("Preview"))
	for _, l := range strings.Split(e.Preview(), "\n") {
		add(l)
	}
	return strings.Join(lines, "\n")
}
