package ui

import (
	"strconv"
	"strings"
	"time"

	"matui/model"
	"matui/ui/browser"
	"matui/ui/text"
	"matui/ui/toast"
	"matui/ui/uictx"
)

// newImageBrowser is :images, the image catalog.
func newImageBrowser(ctx *uictx.Context, images []model.Image) *browser.Browser {
	var rows [][]string
	for _, im := range images {
		name := im.Name
		if name == "" {
			name = im.Ref()
		}
		cats := append(append([]string{}, im.ResourceCategories...), im.SupportResCategories...)
		rows = append(rows, []string{
			text.Sanitize(name), text.Sanitize(im.Tag), text.Sanitize(model.NormArch(im.Arch)),
			text.Sanitize(strings.Join(uniq(cats), ",")), text.Sanitize(strings.Join(im.DevServices, ",")),
		})
	}
	return browser.New(ctx, "Images", "no images",
		[]browser.Column{browser.Col("NAME", 0), browser.Col("TAG", 24), browser.Col("ARCH", 8), browser.Col("CATEGORIES", 24), browser.Col("SERVICES", 24)}, rows)
}

// newPoolBrowser is :pools, the resource pools notebooks can run on.
func newPoolBrowser(ctx *uictx.Context, pools []model.Cluster) *browser.Browser {
	var rows [][]string
	for _, p := range pools {
		rows = append(rows, []string{
			text.Sanitize(p.PoolID), text.Sanitize(p.Type), text.Sanitize(p.Status),
			text.Sanitize(strings.Join(p.ResourceCategories, ",")), strconv.Itoa(len(p.Flavors)),
		})
	}
	return browser.New(ctx, "Pools", "no resource pools",
		[]browser.Column{browser.Col("POOL", 0), browser.Col("TYPE", 10), browser.Col("STATUS", 14),
			browser.Col("CATEGORIES", 20), browser.Col("FLAVORS", 7)}, rows)
}

// AuditEntry is one audited action as :audit shows it. matui serve keeps
// the audit log; the dashboard only reads its recent entries.
type AuditEntry struct {
	Time         time.Time
	User         string // who: the key's identity
	Role         string
	Action       string
	InstanceID   string
	InstanceName string
	Result       string
	Code         string // ModelArts/APIG error code
	Detail       string
	Error        string
}

// newAuditBrowser lists audited actions, newest first.
func newAuditBrowser(ctx *uictx.Context, recs []AuditEntry) *browser.Browser {
	var rows [][]string
	for _, r := range recs {
		result := r.Result
		if r.Code != "" {
			result += " " + r.Code
		}
		detail := r.Detail
		if r.Error != "" {
			detail = strings.TrimSpace(detail + " " + r.Error)
		}
		rows = append(rows, []string{
			r.Time.Local().Format("15:04:05"), text.Sanitize(r.User), r.Role, r.Action,
			text.Sanitize(cmpOr(r.InstanceName, r.InstanceID)), text.Sanitize(result), text.Sanitize(detail),
		})
	}
	return browser.New(ctx, "Audit", "no actions audited since the server started",
		[]browser.Column{browser.Col("TIME", 8), browser.Col("USER", 28), browser.Col("ROLE", 8), browser.Col("ACTION", 8), browser.Col("INSTANCE", 24), browser.Col("RESULT", 22), browser.Col("DETAIL", 0)}, rows)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if u := strings.ToUpper(s); !seen[u] {
			seen[u] = true
			out = append(out, s)
		}
	}
	return out
}

// auditShown is how many audited actions :audit lists.
const auditShown = 500

// showAudit opens :audit, the recent actions of everyone on a shared
// console (who, role, what, which instance, result and code).
func (m *Model) showAudit() {
	if m.opts.Audit == nil {
		m.toasts.Push(toast.Info, ":audit: only matui serve keeps an audit log")
		return
	}
	m.push(newAuditBrowser(m.ctx, m.opts.Audit(auditShown)))
}
