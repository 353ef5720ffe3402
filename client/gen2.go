package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"matui/model"
)

// Gen 2 notebook API, reference §3: /v1/{project_id}/notebooks and /images.

// Features of a Gen 2 notebook.
const (
	FeatureNotebook = "NOTEBOOK" // billed instances; the list default
	FeatureCodeLab  = "DEFAULT"  // the free CodeLab instance
)

const (
	// notebookPageLimit is the largest page ListNotebooks may ask for (the
	// SDK documents 10, 20 and 50 as the only values).
	notebookPageLimit = 50
	// imagePageLimit is ListImage's default and documented page size.
	imagePageLimit = 200
)

// DefaultMaxListItems bounds any listing whatever the server claims: the
// simulator's largest project is 100,000 instances and twice that is far
// beyond any real one.
const DefaultMaxListItems = 200_000

// ErrPageCap is wrapped by list calls that stopped following the pages: the
// server kept answering past Options.MaxListItems, or repeated a page (it ignores
// the offset). The items collected so far are returned with it.
var ErrPageCap = errors.New("too many pages; listing truncated")

// ListNotebooksOptions are the query parameters of GET /notebooks. Zero
// values are not sent, so the server defaults apply (feature NOTEBOOK,
// limit 10, offset 0, sort DESC, workspace "0").
type ListNotebooksOptions struct {
	Feature     string // NOTEBOOK (server default) or DEFAULT to see the CodeLab instance
	Limit       int    // 10, 20 or 50
	Offset      int
	Name        string // fuzzy match
	Status      string
	SortKey     string
	SortDir     string // ASC or DESC
	PoolID      string
	Owner       string // admin/master account only
	WorkspaceID string
	Tags        []model.TagFilter // notebooks carrying these tags (model.MatchTags says how items combine)
}

func (o ListNotebooksOptions) query() (url.Values, error) {
	q := url.Values{}
	switch o.Limit {
	case 0:
	case 10, 20, 50:
		q.Set("limit", strconv.Itoa(o.Limit))
	default:
		return nil, fmt.Errorf("notebook list limit must be 10, 20 or 50, not %d", o.Limit)
	}
	if o.Offset < 0 {
		return nil, fmt.Errorf("negative offset %d", o.Offset)
	}
	if o.Offset > 0 {
		q.Set("offset", strconv.Itoa(o.Offset))
	}
	setIf(q, "feature", o.Feature)
	setIf(q, "name", o.Name)
	setIf(q, "status", o.Status)
	setIf(q, "sort_key", o.SortKey)
	setIf(q, "sort_dir", o.SortDir)
	setIf(q, "pool_id", o.PoolID)
	setIf(q, "owner", o.Owner)
	// workspace_id is what the SDK sends; only the OTC page says workspaceId.
	setIf(q, "workspace_id", o.WorkspaceID)
	setIf(q, "tags", model.FormatTagFilter(o.Tags))
	return q, nil
}

func setIf(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}

// checkID rejects IDs that would change the URL's shape. IDs are placed raw
// into the path (net/url escapes them), so "/" or ".." could otherwise reach
// another endpoint.
func checkID(id string) error {
	if id == "" {
		return errors.New("empty instance ID")
	}
	if id == "." || id == ".." || strings.ContainsAny(id, "/\\?#") {
		return fmt.Errorf("invalid ID %q", id)
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return errors.New("invalid ID: control character")
		}
	}
	return nil
}

// ListNotebooksPage fetches one page of GET /notebooks.
func (c *Client) ListNotebooksPage(ctx context.Context, opts ListNotebooksOptions) (model.Page[model.Notebook], error) {
	return c.notebooksPage(ctx, "/notebooks", opts)
}

// ListAllNotebooksPage fetches one page of GET /notebooks/all (SDK
// ListAllNotebooks): every user's notebooks, for an administrator. Other
// credentials get a *NotAdminError (IsNotAdmin).
func (c *Client) ListAllNotebooksPage(ctx context.Context, opts ListNotebooksOptions) (model.Page[model.Notebook], error) {
	page, err := c.notebooksPage(ctx, "/notebooks/all", opts)
	if err != nil {
		err = asNotAdmin(err)
	}
	return page, err
}

func (c *Client) notebooksPage(ctx context.Context, path string, opts ListNotebooksOptions) (model.Page[model.Notebook], error) {
	var page model.Page[model.Notebook]
	q, err := opts.query()
	if err != nil {
		return page, fmt.Errorf("list notebooks: %w", err)
	}
	err = c.do(ctx, request{method: http.MethodGet, path: path, query: q}, &page)
	return page, err
}

// ListNotebooks follows all pages of GET /notebooks. opts.Offset is the
// starting point and opts.Limit the page size (default 50). It stops when
// total is reached, on an empty or short page, or after maxPages pages (then
// the items so far are returned with an error wrapping ErrPageCap).
func (c *Client) ListNotebooks(ctx context.Context, opts ListNotebooksOptions) ([]model.Notebook, error) {
	return c.allNotebooks(ctx, opts, c.ListNotebooksPage)
}

// ListAllNotebooks is ListNotebooks over GET /notebooks/all: every user's
// notebooks (an administrator's view; otherwise a *NotAdminError).
func (c *Client) ListAllNotebooks(ctx context.Context, opts ListNotebooksOptions) ([]model.Notebook, error) {
	return c.allNotebooks(ctx, opts, c.ListAllNotebooksPage)
}

func (c *Client) allNotebooks(ctx context.Context, opts ListNotebooksOptions,
	page func(context.Context, ListNotebooksOptions) (model.Page[model.Notebook], error)) ([]model.Notebook, error) {
	if opts.Limit == 0 {
		opts.Limit = notebookPageLimit
	}
	return pageAll("list notebooks", opts.Limit, c.maxList, func(offset int) ([]model.Notebook, int64, error) {
		o := opts
		o.Offset += offset
		p, err := page(ctx, o)
		return p.Data, int64(p.Total), err
	}, func(nb model.Notebook) string { return nb.ID })
}

// ShowNotebook is GET /notebooks/{id}.
func (c *Client) ShowNotebook(ctx context.Context, id string) (model.Notebook, error) {
	return c.notebookCall(ctx, http.MethodGet, id, "", nil, nil)
}

// CreateNotebook is POST /notebooks. The instance is created asynchronously
// (status CREATING or INIT). It is not retried after a 5xx or timeout: see
// send.
func (c *Client) CreateNotebook(ctx context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
	var nb model.Notebook
	err := c.do(ctx, request{method: http.MethodPost, path: "/notebooks", body: req}, &nb)
	return nb, err
}

// UpdateNotebook is PUT /notebooks/{id}; nil members of req are not sent.
func (c *Client) UpdateNotebook(ctx context.Context, id string, req model.UpdateNotebookRequest) (model.Notebook, error) {
	return c.notebookCall(ctx, http.MethodPut, id, "", nil, req)
}

// DeleteNotebook is DELETE /notebooks/{id}; it removes the instance and its
// storage. The answer (status DELETING) may be empty (HTTP 204).
func (c *Client) DeleteNotebook(ctx context.Context, id string) (model.Notebook, error) {
	return c.notebookCall(ctx, http.MethodDelete, id, "", nil, nil)
}

// StartOptions are the query parameters of POST /notebooks/{id}/start.
type StartOptions struct {
	// DurationMs is the auto-stop time in ms: 0 = server default (1 h),
	// -1 = no auto-stop (what the Terraform provider sends).
	DurationMs int64
	Type       string // "timing" (default) or "idle"
}

// StartNotebook is POST /notebooks/{id}/start (no body, like the SDK).
func (c *Client) StartNotebook(ctx context.Context, id string, opts StartOptions) (model.Notebook, error) {
	q := url.Values{}
	if opts.DurationMs != 0 {
		if opts.DurationMs < -1 {
			return model.Notebook{}, fmt.Errorf("start notebook: invalid duration %d ms", opts.DurationMs)
		}
		q.Set("duration", strconv.FormatInt(opts.DurationMs, 10))
	}
	setIf(q, "type", opts.Type)
	return c.notebookCall(ctx, http.MethodPost, id, "/start", q, nil)
}

// StopNotebook is POST /notebooks/{id}/stop.
func (c *Client) StopNotebook(ctx context.Context, id string) (model.Notebook, error) {
	return c.notebookCall(ctx, http.MethodPost, id, "/stop", nil, nil)
}

func (c *Client) notebookCall(ctx context.Context, method, id, suffix string, q url.Values, body any) (model.Notebook, error) {
	var nb model.Notebook
	if err := checkID(id); err != nil {
		return nb, err
	}
	err := c.do(ctx, request{method: method, path: "/notebooks/" + id + suffix, query: q, body: body}, &nb)
	return nb, err
}

// ShowLease is GET /notebooks/{id}/lease, the cheap poll for a countdown.
func (c *Client) ShowLease(ctx context.Context, id string) (model.Lease, error) {
	var l model.Lease
	if err := checkID(id); err != nil {
		return l, err
	}
	err := c.do(ctx, request{method: http.MethodGet, path: "/notebooks/" + id + "/lease"}, &l)
	return l, err
}

// RenewNotebookLease is PATCH /notebooks/{id}/lease with a LeaseReq body.
// The server resets the deadline to now + duration (it does not add). The
// instance must be RUNNING. (Named so because RenewLease is the dashboard
// operation taking a model.Instance.)
func (c *Client) RenewNotebookLease(ctx context.Context, id string, req model.LeaseReq) (model.Lease, error) {
	var l model.Lease
	if err := checkID(id); err != nil {
		return l, err
	}
	err := c.do(ctx, request{method: http.MethodPatch, path: "/notebooks/" + id + "/lease", body: req}, &l)
	return l, err
}

// FlavorOptions filter GET /notebooks/flavors.
type FlavorOptions struct {
	Category   string // CPU, GPU, ASCEND
	Type       string // MANAGED (public) or DEDICATED
	FlavorType string // ASCEND_SNT9, ASCEND_SNT9B, ASCEND_SNT3
	Feature    string // NOTEBOOK (the server's default) or DEFAULT (CodeLab's free flavors)
}

// ListFlavors is GET /notebooks/flavors, all pages.
func (c *Client) ListFlavors(ctx context.Context, opts FlavorOptions) ([]model.NotebookFlavor, error) {
	q := url.Values{}
	setIf(q, "category", opts.Category)
	setIf(q, "type", opts.Type)
	setIf(q, "feature", opts.Feature)
	setIf(q, "flavor_type", opts.FlavorType)
	return c.listFlavors(ctx, "/notebooks/flavors", q)
}

// ListSwitchableFlavors is GET /notebooks/{id}/flavors: the flavors the
// instance may be changed to.
func (c *Client) ListSwitchableFlavors(ctx context.Context, id string) ([]model.NotebookFlavor, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	return c.listFlavors(ctx, "/notebooks/"+id+"/flavors", url.Values{})
}

// listFlavors pages through a flavor list. No limit is sent (the server's
// default is "unlimited"); should the server page anyway, the offset follows
// until total. Items come in "data", "flavors" or both (the same items), so
// data is preferred and flavors used when data is empty (OTC-2024).
func (c *Client) listFlavors(ctx context.Context, path string, q url.Values) ([]model.NotebookFlavor, error) {
	return getAll(ctx, c, "list flavors", path, q, 0, func(f model.NotebookFlavor) string { return f.ID })
}

// ImageOptions filter GET /images. Zero values are not sent.
type ImageOptions struct {
	Name           string
	NameFuzzyMatch *bool // server default true
	Namespace      string
	ServiceType    string // COMMON, INFERENCE, TRAIN, DEV, UNKNOWN
	Type           string // BUILD_IN or DEDICATED
	SortKey        string
	SortDir        string
	WorkspaceID    string
}

// ListImages is GET /images, all pages of 200.
func (c *Client) ListImages(ctx context.Context, opts ImageOptions) ([]model.Image, error) {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(imagePageLimit))
	setIf(q, "name", opts.Name)
	if opts.NameFuzzyMatch != nil {
		q.Set("name_fuzzy_match", strconv.FormatBool(*opts.NameFuzzyMatch))
	}
	setIf(q, "namespace", opts.Namespace)
	setIf(q, "service_type", opts.ServiceType)
	setIf(q, "type", opts.Type)
	setIf(q, "sort_key", opts.SortKey)
	setIf(q, "sort_dir", opts.SortDir)
	setIf(q, "workspace_id", opts.WorkspaceID)

	return getAll(ctx, c, "list images", "/images", q, imagePageLimit, func(im model.Image) string { return im.ID })
}

// OpenCodeLab is POST /notebooks/open (OTC-2024 only): opens, creating if
// needed, the free CodeLab instance.
func (c *Client) OpenCodeLab(ctx context.Context, req model.OpenCodeLabRequest) (model.Notebook, error) {
	var nb model.Notebook
	err := c.do(ctx, request{method: http.MethodPost, path: "/notebooks/open", body: req}, &nb)
	return nb, err
}

// getAll is GET path with query q, every page (pageAll): the offset is
// set per page and the items are the envelope's (model.Page.Items). limit
// is the page size q asks for (0: the server's).
func getAll[T any](ctx context.Context, c *Client, what, path string, q url.Values, limit int, id func(T) string) ([]T, error) {
	return pageAll(what, limit, c.maxList, func(offset int) ([]T, int64, error) {
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		var page model.Page[T]
		err := c.do(ctx, request{method: http.MethodGet, path: path, query: q}, &page)
		return page.Items(), int64(page.Total), err
	}, id)
}

// pageAll follows offset pagination: fetch(offset) returns one page and the
// server's total; pageGuard decides when to stop (see there). The items of
// every page but one that added nothing new are returned, in the server's
// order.
func pageAll[T any](what string, limit, maxItems int, fetch func(offset int) ([]T, int64, error), id func(T) string) ([]T, error) {
	var all []T
	g := newPageGuard(what, limit, maxItems)
	for {
		items, total, err := fetch(g.offset)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = id(it)
		}
		done, keep, err := g.page(ids, total)
		if keep {
			all = append(all, items...)
		}
		if done || err != nil {
			return all, err
		}
	}
}

// pageGuard is the stop rule of an offset-paged listing. A listing ends
// when the server's total is reached or a page is empty or shorter than
// the limit (limit 0: the server chose the page size). Three guards keep a
// broken or lying server from holding a listing for minutes, each ending it
// with an error wrapping ErrPageCap (the items so far stand):
//
//   - a total above maxItems is refused at the first page that claims it,
//     rather than followed for thousands of requests;
//   - a page that adds no item not seen before (the server ignores the
//     offset, or wraps around past its real end while claiming more) ends
//     the listing there, and is not kept;
//   - no more than maxItems items in any case.
type pageGuard struct {
	what            string
	limit, maxItems int
	offset          int // where the next page starts: the items received so far
	seen            map[string]struct{}
}

func newPageGuard(what string, limit, maxItems int) *pageGuard {
	return &pageGuard{what: what, limit: limit, maxItems: maxItems, seen: map[string]struct{}{}}
}

// page takes the IDs of the page just fetched (at g.offset) and the total
// it claimed. keep says whether to keep the page's items; done or err end
// the listing.
func (g *pageGuard) page(ids []string, total int64) (done, keep bool, err error) {
	at := g.offset
	fresh := 0
	for _, id := range ids {
		if id == "" {
			continue // nothing to recognise it by: it cannot count as new
		}
		if _, dup := g.seen[id]; !dup {
			g.seen[id] = struct{}{}
			fresh++
		}
	}
	g.offset += len(ids)
	switch {
	case len(ids) == 0, g.limit > 0 && len(ids) < g.limit, int64(g.offset) >= total:
		return true, true, nil
	case at > 0 && fresh == 0:
		return true, false, fmt.Errorf("%s: %w (the page at offset %d added no new item: the server ignores the offset or claims more than it has, total %d)",
			g.what, ErrPageCap, at, total)
	case total > int64(g.maxItems):
		return true, true, fmt.Errorf("%s: %w (the server claims %d items, more than the %d a listing follows)", g.what, ErrPageCap, total, g.maxItems)
	case g.offset >= g.maxItems:
		return true, true, fmt.Errorf("%s: %w (%d items)", g.what, ErrPageCap, g.offset)
	}
	return false, true, nil
}
