package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/client"
	"matui/model"
	"matui/ui/dialog"
	"matui/ui/forms"
	"matui/ui/text"
	"matui/ui/toast"
)

type action int

const (
	actStart action = iota
	actStop
	actDelete
	actRenew
)

func (a action) String() string {
	return [...]string{"start", "stop", "delete", "renew"}[a]
}

// optimisticStatus is the transitional status shown as soon as an action
// is confirmed ("" when the action does not change the status).
func (a action) optimisticStatus() string {
	return [...]string{"STARTING", "STOPPING", "DELETING", ""}[a]
}

// Choices offered by the start and renew dialogs. The last one, custom,
// asks for a number of hours (customDur marks it).
var (
	startChoices = []string{"1h", "2h", "4h", "8h", "off", "custom"}
	startDur     = []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 0, customDur}
	renewChoices = []string{"1h", "2h", "4h", "custom"}
	renewDur     = []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour, customDur}
)

const customDur time.Duration = -1

// unavailable is why a can't apply to in ("" when it can). The rules follow
// the documented state machines: start from STOPPED (or a failed start),
// stop only RUNNING, Gen 1 refuses delete while running, renew needs a
// running Gen 2 instance with a timed lease.
func unavailable(a action, in *model.Instance) string {
	st := text.Sanitize(in.Status)
	is := "instance is " + st
	switch a {
	case actStart:
		if in.Class == model.ClassQueued {
			return "instance is queued"
		}
		if in.Status != "STOPPED" && in.Status != "START_FAILED" {
			return is
		}
	case actStop:
		if in.Status != "RUNNING" {
			return is
		}
	case actDelete:
		switch {
		case in.Status == "DELETING" || in.Status == "DELETED":
			return is
		case in.Generation == model.Gen1 && in.Class != model.ClassStopped && in.Class != model.ClassFailed:
			return is + " (Gen 1 instances must be stopped first)"
		}
	case actRenew:
		switch {
		case in.Generation == model.Gen1:
			return "Gen 1 instances have no lease to renew"
		case in.Status != "RUNNING":
			return is
		case !in.AutoStop.Enabled:
			return "auto-stop is off"
		}
	}
	return ""
}

// startAction validates the action against the marked instances (or the
// selected one) and opens its dialog. Keys that do not apply say why in a
// toast instead of doing nothing.
func (m *Model) startAction(a action) tea.Cmd {
	if m.opts.ReadOnly {
		m.toasts.Push(toast.Error, a.String()+": read-only session")
		return nil
	}
	var cands []model.Instance
	marked := false
	if in, ok := m.alertTarget(); ok && a == actRenew {
		// An alert is shown: l renews the instance it warns about.
		cands = []model.Instance{in}
	} else if m.mode == modeList && m.table.MarkCount() > 0 {
		cands, marked = m.table.Marked(), true
	} else if in, ok := m.target(); ok {
		cands = []model.Instance{in}
	}
	if len(cands) == 0 {
		m.toasts.Push(toast.Error, a.String()+": no instance selected")
		return nil
	}
	var ok []model.Instance
	var skipped []string
	for i := range cands {
		if r := unavailable(a, &cands[i]); r != "" {
			skipped = append(skipped, name(&cands[i])+" ("+r+")")
		} else {
			ok = append(ok, cands[i])
		}
	}
	if len(ok) == 0 {
		if !marked {
			m.toasts.Push(toast.Error, a.String()+": "+unavailable(a, &cands[0]))
		} else {
			m.toasts.Push(toast.Error, fmt.Sprintf("%s: none of the %d marked instances applies — %s", a, len(cands), strings.Join(skipped, "; ")))
		}
		return nil
	}
	what := name(&ok[0])
	if len(ok) > 1 {
		what = strconv.Itoa(len(ok)) + " instances"
	}
	body := ""
	if len(ok) > 1 {
		names := make([]string, 0, len(ok))
		for i := range ok {
			names = append(names, name(&ok[i]))
		}
		body = strings.Join(names, ", ")
	}
	if len(skipped) > 0 {
		body = strings.TrimPrefix(body+"\n", "\n") + fmt.Sprintf("skipped %d: %s", len(skipped), strings.Join(skipped, "; "))
	}
	switch a {
	case actStart:
		if !anyGen2(ok) {
			return m.confirm(a, ok, 0) // Gen 1: no auto-stop choice applies
		}
		// The chosen duration is Gen 2's; a Gen 1 instance starts with
		// the auto-stop configured on it (it has no per-start duration).
		if own := ownAutoStop(ok); own != "" {
			body = strings.TrimPrefix(body+"\n", "\n") + "Gen 1 keeps its configured auto-stop: " + own
		}
		m.push(dialog.Choose(m.ctx, "Start "+what+" — auto-stop after", body, startChoices, 0).OnDone(func(r dialog.Result) tea.Cmd {
			return m.chosen(a, ok, startDur[r.Choice])
		}))
	case actStop:
		b := "The compute is released; storage is kept."
		if body != "" {
			b = body + "\n" + b
		}
		m.push(dialog.Confirm(m.ctx, "Stop "+what+"?", b).OnDone(func(dialog.Result) tea.Cmd { return m.confirm(a, ok, 0) }))
	case actDelete:
		expect := name(&ok[0])
		prompt := "Type the instance name to delete it with all its storage:"
		if len(ok) > 1 {
			expect = strconv.Itoa(len(ok))
			prompt = "Type the number of instances (" + expect + ") to delete them with all their storage:"
		}
		b := prompt
		if body != "" {
			b = body + "\n" + prompt
		}
		m.push(dialog.Typed(m.ctx, "Delete "+what+"?", b, expect).OnDone(func(dialog.Result) tea.Cmd { return m.confirm(a, ok, 0) }))
	case actRenew:
		m.push(dialog.Choose(m.ctx, "Renew lease of "+what+" — stop in", body, renewChoices, 0).OnDone(func(r dialog.Result) tea.Cmd {
			return m.chosen(a, ok, renewDur[r.Choice])
		}))
	}
	return nil
}

// ownAutoStop names the Gen 1 instances of list with their configured
// auto-stop ("old-dev (1h30m)"), "" when there are none.
func ownAutoStop(list []model.Instance) string {
	var out []string
	for i := range list {
		in := &list[i]
		if in.Generation != model.Gen1 {
			continue
		}
		as := "off"
		if in.AutoStop.Enabled {
			as = "on"
			if d := in.AutoStop.Duration; d > 0 {
				as = model.FormatDuration(d)
			}
		}
		out = append(out, name(in)+" ("+as+")")
	}
	return strings.Join(out, ", ")
}

func anyGen2(list []model.Instance) bool {
	for i := range list {
		if list[i].Generation == model.Gen2 {
			return true
		}
	}
	return false
}

func name(in *model.Instance) string {
	if n := text.Sanitize(in.Name); n != "" {
		return n
	}
	return text.Sanitize(in.ID)
}

// actionResult is one instance's outcome: the instance acted on, and the
// instance as the service answered (zero when the answer said nothing).
type actionResult struct {
	inst, answer model.Instance
	err          error
}

type actionDoneMsg struct {
	act     action
	results []actionResult
}

// chosen continues a start or renew after its duration choice: the custom
// choice asks for the hours first.
func (m *Model) chosen(a action, targets []model.Instance, d time.Duration) tea.Cmd {
	if d != customDur {
		return m.confirm(a, targets, d)
	}
	title := "Renew lease — stop in how long?"
	if a == actStart {
		title = "Start — auto-stop after how long?"
	}
	m.push(dialog.Ask(m.ctx, title, "1h–72h, e.g. 90m, 1.5h, 1h30m or 12 (hours)", "", func(v string) error {
		_, err := parseLeaseHours(v)
		return err
	}).OnDone(func(r dialog.Result) tea.Cmd {
		d, _ := parseLeaseHours(r.Value) // the dialog validated it
		return m.confirm(a, targets, d)
	}))
	return nil
}

// parseLeaseHours reads an auto-stop/lease duration the way the forms do
// (model.ParseLeaseDuration: "12", "1.5", "6h", "90m", "1h30m", "5400s")
// and checks it against 1–72 h. The error is the model's without the field
// path, which means nothing in a dialog.
func parseLeaseHours(v string) (time.Duration, error) {
	ms, err := model.ParseLeaseDuration(v)
	if err != nil {
		var fe *model.FieldError
		if errors.As(err, &fe) {
			return 0, fmt.Errorf("%s (allowed: %s)", fe.Rule, fe.Allowed)
		}
		return 0, err
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// confirm applies the optimistic state at once and sends the calls; d is
// the auto-stop (start) or lease (renew). The calls run one after another
// in the command (not in parallel): a bulk action must not burst the API's
// rate limit.
func (m *Model) confirm(act action, targets []model.Instance, d time.Duration) tea.Cmd {
	now := m.ctx.Now()
	if st := act.optimisticStatus(); st != "" {
		for _, in := range targets {
			m.store.Expect(in.ID, st, now)
		}
		m.publish()
	}
	m.fastUntil = now.Add(fastAfterAction)
	m.table.ClearMarks()
	b, base := m.backend, m.base
	return func() tea.Msg {
		res := make([]actionResult, 0, len(targets))
		for _, in := range targets {
			ctx, cancel := context.WithTimeout(base, callTimeout)
			var (
				answer model.Instance
				err    error
			)
			switch act {
			case actStart:
				answer, err = b.StartInstance(ctx, in, d)
			case actStop:
				answer, err = b.StopInstance(ctx, in)
			case actDelete:
				answer, err = b.DeleteInstance(ctx, in)
			case actRenew:
				answer, err = b.RenewLease(ctx, in, d)
			}
			cancel()
			res = append(res, actionResult{inst: in, answer: answer, err: err})
		}
		return actionDoneMsg{act: act, results: res}
	}
}

var pastTense = [...]string{"starting", "stopping", "deleting", "lease renewed"}

func (m *Model) onActionDone(msg actionDoneMsg) tea.Cmd {
	failed := 0
	for _, r := range msg.results {
		if r.err == nil {
			// The answer is the truth as of now: the row shows it at once
			// instead of waiting for the next listing.
			m.patch(r.answer)
			m.touched(r.inst, r.answer)
			m.dismissAlert(r.inst.ID) // acted on
			continue
		}
		failed++
		m.store.Forget(r.inst.ID)
		m.toastErr(msg.act.String()+" "+name(&r.inst), r.err)
	}
	n := len(msg.results)
	switch {
	case n == 1 && failed == 0:
		m.toasts.Push(toast.Success, name(&msg.results[0].inst)+": "+pastTense[msg.act])
	case n > 1:
		k := toast.Success
		if failed > 0 {
			k = toast.Error
		}
		m.toasts.Push(k, fmt.Sprintf("%s: %d of %d ok, %d failed", msg.act, n-failed, n, failed))
	}
	m.publish()
	m.fastUntil = m.ctx.Now().Add(fastAfterAction)
	return m.poll()
}

// ErrorText is how an error is shown: the ModelArts code and message when
// it is a *client.APIError, a plain sentence for unsupported operations,
// else err.Error(). The result is sanitised.
func ErrorText(err error) string {
	if err == nil {
		return ""
	}
	// A partly applied submission says what was and was not applied; its
	// inner API error alone would hide that.
	var part *forms.PartialError
	if errors.As(err, &part) {
		return text.Sanitize(part.Error())
	}
	var api *client.APIError
	if errors.As(err, &api) {
		code, msg := text.Sanitize(api.Code), text.Sanitize(api.Message)
		switch {
		case code != "" && msg != "":
			return code + ": " + msg
		case msg != "":
			return msg
		case code != "":
			return code
		}
	}
	if errors.Is(err, errors.ErrUnsupported) {
		return "not supported for this instance generation"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return text.Sanitize(err.Error())
}
