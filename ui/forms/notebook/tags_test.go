package notebook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
	"matui/ui/overlay"
)

func TestParseTags(t *testing.T) {
	many := make([]string, model.MaxNotebookTags+1)
	for i := range many {
		many[i] = fmt.Sprintf("k%d=v", i)
	}
	cases := []struct {
		in   string
		want []model.Tag
		err  string
	}{
		{"", nil, ""},
		{" , ", nil, ""},
		{"team=nlp, project=x", []model.Tag{{Key: "team", Value: "nlp"}, {Key: "project", Value: "x"}}, ""},
		{"team=nlp,", []model.Tag{{Key: "team", Value: "nlp"}}, ""},
		{"solo", []model.Tag{{Key: "solo"}}, ""},
		{"url=a=b/c", []model.Tag{{Key: "url", Value: "a=b/c"}}, ""},
		{"中文 键=值", []model.Tag{{Key: "中文 键", Value: "值"}}, ""},
		{"a=1, a=2", nil, "tags[1].key: duplicates tags[0].key"},
		{"=v", nil, "tags[0].key: is required"},
		{"_sys_x=1", nil, "starts with _sys_"},
		{"k=a|b", nil, `tags[0].value: contains '|'`},
		{strings.Join(many, ","), nil, fmt.Sprintf("tags: %d tags is too many (allowed: 1–%d tags)", model.MaxNotebookTags+1, model.MaxNotebookTags)},
	}
	for _, c := range cases {
		got, err := parseTags(c.in)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.err)
			}
		case err != nil:
			t.Errorf("%q: %v", c.in, err)
		case !slices.Equal(got, c.want):
			t.Errorf("%q: %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestDiffTags(t *testing.T) {
	old := []model.Tag{{Key: "team", Value: "cv"}, {Key: "project", Value: "imagenet"}, {Key: "env", Value: "dev"}}
	want := []model.Tag{{Key: "team", Value: "nlp"}, {Key: "env", Value: "dev"}, {Key: "owner", Value: "ana"}}
	rm, add := diffTags(old, want)
	if !slices.Equal(rm, []model.Tag{{Key: "project", Value: "imagenet"}}) {
		t.Errorf("remove %+v", rm)
	}
	if !slices.Equal(add, []model.Tag{{Key: "team", Value: "nlp"}, {Key: "owner", Value: "ana"}}) {
		t.Errorf("add %+v", add)
	}
	if rm, add := diffTags(old, old); rm != nil || add != nil {
		t.Errorf("no change: %+v %+v", rm, add)
	}
}

// tagFuncs records the tag calls; fail, when set, refuses the named one.
type tagFuncs struct {
	calls []string
	fail  string // "add" or "remove"
}

var errQuota = &client.APIError{HTTPStatus: 400, Code: "ModelArts.0118", Message: "The expected number of tags (21) exceeds the quota (20)."}

func (f *tagFuncs) fn(op string) TagsFunc {
	return func(_ context.Context, id string, ts []model.Tag) error {
		f.calls = append(f.calls, op+" "+id+" "+formatTags(ts))
		if f.fail == op {
			return errQuota
		}
		return nil
	}
}

// sub is the submission the form makes on enter in its review.
func sub(t *testing.T, lc *forms.Lifecycle) overlay.Submit {
	t.Helper()
	if !lc.Reviewing() {
		t.Fatal("not reviewing")
	}
	s, ok := lc.Submit()
	if !ok {
		t.Fatal("no submission")
	}
	return s
}

// Without tag functions the form has no tags field; with them, the
// create body stays as the API documents it (no tags member) and the tags
// follow in their own call, shown in the review.
func TestCreateTagsFollowTheCreate(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	if !f.Field(keyTags).Hidden {
		t.Error("a tags field without AddTags")
	}
	tf := &tagFuncs{}
	var created model.CreateNotebookRequest
	create := func(_ context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
		created = req
		return model.Notebook{ID: "nb-new", Name: req.Name, Status: "CREATING"}, nil
	}
	f = NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images, Create: create, AddTags: tf.fn("add")})
	formtest.Drive(f, `"tagged"`)
	f.set.FocusKey(keyTags)
	formtest.Drive(f, `"team=nlp, project=x" ctrl+s`)
	v := ansi.Strip(f.View(120, 60))
	if !strings.Contains(v, "then, once it exists:") || !strings.Contains(v, "POST …/notebooks/{new id}/tags/create") || !strings.Contains(v, `"key": "team"`) {
		t.Errorf("review does not show the tags call:\n%s", v)
	}
	s := sub(t, &f.Lifecycle)
	cm := s.Body.(CreateMsg)
	if b, _ := json.Marshal(cm.Req); strings.Contains(string(b), "tags") {
		t.Errorf("tags in the create body: %s", b)
	}
	v2, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "tagged" || !slices.Equal(tf.calls, []string{"add nb-new team=nlp, project=x"}) {
		t.Errorf("calls: create %q, tags %q", created.Name, tf.calls)
	}
	ch := v2.(overlay.Change)
	if !ch.Created || ch.Instance.ID != "nb-new" || formatTags(ch.Instance.Tags) != "team=nlp, project=x" {
		t.Errorf("change %+v", ch)
	}
}

// Tags are checked as typed, with the rule and the tag at fault.
func TestCreateTagsValidated(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images, AddTags: (&tagFuncs{}).fn("add")})
	formtest.Drive(f, `"tagged"`)
	f.set.FocusKey(keyTags)
	formtest.Drive(f, `"team=nlp, team=cv"`)
	if v := ansi.Strip(f.View(200, 60)); !strings.Contains(v, "tags[1].key: duplicates tags[0].key") {
		t.Errorf("no duplicate error:\n%s", v)
	}
	if m := formtest.Drive(f, "ctrl+s"); m != nil || f.Reviewing() {
		t.Fatal("invalid tags reviewed")
	}
	if f.Field(keyTags).Text() != "team=nlp, team=cv" {
		t.Error("typed tags lost")
	}
}

// The notebook is created but its tags are refused: the error says what
// was applied, the notebook is not created twice, and the form sends only
// the tags from then on.
func TestCreateTagsFailAfterCreate(t *testing.T) {
	tf := &tagFuncs{fail: "add"}
	creates := 0
	create := func(_ context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
		creates++
		return model.Notebook{ID: "nb-new", Name: req.Name, Status: "CREATING"}, nil
	}
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images, Create: create, AddTags: tf.fn("add")})
	formtest.Drive(f, `"tagged"`)
	f.set.FocusKey(keyTags)
	formtest.Drive(f, `"team=nlp" ctrl+s`)
	_, err := sub(t, &f.Lifecycle).Run(context.Background())
	var p *forms.PartialError
	if !errors.As(err, &p) {
		t.Fatalf("not a partial failure: %v", err)
	}
	if !p.Applied.Created || p.Applied.Instance.ID != "nb-new" || len(p.Applied.Instance.Tags) != 0 {
		t.Errorf("applied %+v", p.Applied)
	}
	if want := "applied: creating notebook tagged — failed: adding tags team=nlp: ModelArts.0118: The expected number of tags (21) exceeds the quota (20). (HTTP 400)"; err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
	f.Update(overlay.Done{Err: err})
	f.View(200, 60) // a frame re-validates; the error must outlive it
	v := ansi.Strip(f.View(200, 60))
	for _, want := range []string{"Tags of the new notebook tagged", "Applied: creating notebook tagged.", "Failed: adding tags team=nlp: ModelArts.0118"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if len(f.Lifecycle.Set.Fields) != 1 || f.Lifecycle.Set.Fields[0] != f.Field(keyTags) {
		t.Errorf("after the create the form should show the tags alone:\n%s", v)
	}
	// Retry: only the tags, to the notebook created.
	formtest.Drive(f, `ctrl+u "team=cv" ctrl+s`)
	if v := ansi.Strip(f.View(200, 60)); !strings.Contains(v, "POST …/notebooks/nb-new/tags/create") || strings.Contains(v, `"image_id"`) {
		t.Errorf("retry review:\n%s", v)
	}
	tf.fail = ""
	s := sub(t, &f.Lifecycle)
	if cm := s.Body.(CreateMsg); cm.ID != "nb-new" || cm.Req.Name != "" || formatTags(cm.Tags) != "team=cv" {
		t.Errorf("retry body %+v", cm)
	}
	v2, err := s.Run(context.Background())
	if err != nil || creates != 1 {
		t.Fatalf("retry: %v, creates %d", err, creates)
	}
	if ch := v2.(overlay.Change); ch.Instance.ID != "nb-new" || formatTags(ch.Instance.Tags) != "team=cv" || ch.Note != "tagged: tags added" {
		t.Errorf("retry change %+v", ch)
	}
	if closed, _ := f.Lifecycle.Update(overlay.Done{Value: v2}); !closed {
		t.Error("the form did not close after the tags were added")
	}
}

// A create that fails is nothing applied: a plain error on its field, no
// tag call.
func TestCreateFailsBeforeTags(t *testing.T) {
	tf := &tagFuncs{}
	create := func(context.Context, model.CreateNotebookRequest) (model.Notebook, error) {
		return model.Notebook{}, &client.APIError{HTTPStatus: 400, Code: "ModelArts.6301", Message: "The instance tagged already exists."}
	}
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images, Create: create, AddTags: tf.fn("add")})
	formtest.Drive(f, `"tagged"`)
	f.set.FocusKey(keyTags)
	formtest.Drive(f, `"team=nlp" ctrl+s`)
	_, err := sub(t, &f.Lifecycle).Run(context.Background())
	var p *forms.PartialError
	if err == nil || errors.As(err, &p) || len(tf.calls) != 0 {
		t.Fatalf("err %v, tag calls %q", err, tf.calls)
	}
	f.Update(overlay.Done{Err: err})
	if got := f.Field(forms.KeyName).Err; !strings.Contains(got, "ModelArts.6301") || f.created != nil {
		t.Errorf("name error %q, created %v", got, f.created)
	}
}

func taggedNB() model.Notebook {
	nb := stoppedNB()
	nb.Tags = []model.Tag{{Key: "team", Value: "cv"}, {Key: "project", Value: "imagenet"}}
	return nb
}

// The update form shows the stored tags; an untouched field sends nothing,
// a changed one the removals and additions (in that order), without a PUT
// when nothing else changed.
func TestEditTags(t *testing.T) {
	tf := &tagFuncs{}
	opts := UpdateOptions{Flavors: catalog, Images: images, AddTags: tf.fn("add"), RemoveTags: tf.fn("remove")}
	e := NewEdit(formtest.Ctx(), taggedNB(), opts)
	if got := e.Field(keyTags).Text(); got != "team=cv, project=imagenet" {
		t.Fatalf("prefilled %q", got)
	}
	if formtest.Drive(e, "ctrl+s"); e.Reviewing() {
		t.Fatal("untouched tags went to review")
	}
	e.set.FocusKey(keyTags)
	m := formtest.Drive(e, `ctrl+u "team=nlp, env=prod" ctrl+s`)
	if m != nil {
		t.Fatalf("sent before the review: %#v", m)
	}
	v := ansi.Strip(e.View(120, 60))
	del, post := strings.Index(v, "DELETE …/notebooks/nb-1/tags/delete"), strings.Index(v, "POST …/notebooks/nb-1/tags/create")
	if del < 0 || post < del || strings.Contains(v, "PUT") {
		t.Errorf("review:\n%s", v)
	}
	puts := 0
	opts.Update = func(context.Context, string, model.UpdateNotebookRequest) (model.Notebook, error) {
		puts++
		return model.Notebook{}, nil
	}
	e = NewEdit(formtest.Ctx(), taggedNB(), opts)
	e.set.FocusKey(keyTags)
	formtest.Drive(e, `ctrl+u "team=nlp, env=prod" ctrl+s`)
	s := sub(t, &e.Lifecycle)
	um := s.Body.(UpdateMsg)
	if formatTags(um.RemoveTags) != "project=imagenet" || formatTags(um.AddTags) != "team=nlp, env=prod" {
		t.Errorf("body %+v", um)
	}
	v2, err := s.Run(context.Background())
	if err != nil || puts != 0 {
		t.Fatalf("run: %v, PUTs %d", err, puts)
	}
	if want := []string{"remove nb-1 project=imagenet", "add nb-1 team=nlp, env=prod"}; !slices.Equal(tf.calls, want) {
		t.Errorf("calls %q, want %q", tf.calls, want)
	}
	if ch := v2.(overlay.Change); ch.Instance.ID != "nb-1" || formatTags(ch.Instance.Tags) != "team=nlp, env=prod" || ch.Created {
		t.Errorf("change %+v", ch)
	}
}

// A rename whose tag removal then fails: the error says the update was
// applied and the rest was not; the form keeps the tags to send and locks
// what was applied; the retry sends only the tags and shows the new name.
func TestEditPartialFailure(t *testing.T) {
	tf := &tagFuncs{fail: "remove"}
	var puts []string
	update := func(_ context.Context, id string, req model.UpdateNotebookRequest) (model.Notebook, error) {
		b, _ := json.Marshal(req)
		puts = append(puts, string(b))
		nb := taggedNB()
		nb.Name = *req.Name
		return nb, nil
	}
	e := NewEdit(formtest.Ctx(), taggedNB(), UpdateOptions{Flavors: catalog, Images: images, Update: update,
		AddTags: tf.fn("add"), RemoveTags: tf.fn("remove")})
	formtest.Drive(e, `ctrl+u "renamed"`)
	e.set.FocusKey(keyTags)
	formtest.Drive(e, `ctrl+u "team=nlp" ctrl+s`)
	if v := ansi.Strip(e.View(120, 60)); !strings.Contains(v, "Sent in order; a failure stops") || !strings.Contains(v, "PUT …/notebooks/nb-1") {
		t.Errorf("review:\n%s", v)
	}
	_, err := sub(t, &e.Lifecycle).Run(context.Background())
	want := "applied: updating name — failed: removing tags project=imagenet: ModelArts.0118: The expected number of tags (21) exceeds the quota (20). (HTTP 400) — not sent: adding tags team=nlp"
	if err == nil || err.Error() != want {
		t.Fatalf("error\n got %v\nwant %s", err, want)
	}
	var p *forms.PartialError
	if errors.As(err, &p); p.Applied.Instance.Name != "renamed" || formatTags(p.Applied.Instance.Tags) != "team=cv, project=imagenet" {
		t.Errorf("applied %+v", p.Applied.Instance)
	}
	e.Update(overlay.Done{Err: err})
	if len(e.Lifecycle.Set.Fields) != 1 || e.Lifecycle.Set.Fields[0] != e.Field(keyTags) || !strings.Contains(e.Field(keyTags).Err, "ModelArts.0118") {
		t.Errorf("after the partial failure the form should show the tags alone, with the error %q:\n%s",
			e.Field(keyTags).Err, ansi.Strip(e.View(120, 40)))
	}
	if e.banner != "Applied: updating name." || !strings.Contains(e.Field(keyTags).Err, "Failed: removing tags project=imagenet: ModelArts.0118") ||
		!strings.HasSuffix(e.Field(keyTags).Err, "Not sent: adding tags team=nlp.") {
		t.Errorf("banner %q, tags error %q", e.banner, e.Field(keyTags).Err)
	}
	tf.fail, tf.calls = "", nil
	formtest.Drive(e, "ctrl+s")
	s := sub(t, &e.Lifecycle)
	if um := s.Body.(UpdateMsg); um.Req.Name != nil || formatTags(um.RemoveTags) != "project=imagenet" {
		t.Errorf("retry body %+v", um)
	}
	v, err := s.Run(context.Background())
	if err != nil || len(puts) != 1 {
		t.Fatalf("retry: %v, PUTs %q", err, puts)
	}
	if ch := v.(overlay.Change); ch.Instance.Name != "renamed" || formatTags(ch.Instance.Tags) != "team=nlp" {
		t.Errorf("retry change %+v", ch.Instance)
	}
}

// A refusal of the first call (a tag call when only tags changed) is
// nothing applied and lands on the tags field.
func TestEditTagsRefused(t *testing.T) {
	tf := &tagFuncs{fail: "add"}
	e := NewEdit(formtest.Ctx(), taggedNB(), UpdateOptions{Flavors: catalog, Images: images, AddTags: tf.fn("add"), RemoveTags: tf.fn("remove")})
	e.set.FocusKey(keyTags)
	formtest.Drive(e, `end ", owner=ana" ctrl+s`)
	_, err := sub(t, &e.Lifecycle).Run(context.Background())
	var p *forms.PartialError
	if err == nil || errors.As(err, &p) {
		t.Fatalf("err %v", err)
	}
	e.Update(overlay.Done{Err: err})
	if got := e.Field(keyTags).Err; !strings.Contains(got, "ModelArts.0118") || e.banner != "" || e.applied != nil {
		t.Errorf("tags error %q, banner %q", got, e.banner)
	}
}

// Tags the one-line field cannot hold as they are are not offered for
// editing (editing them would change them silently).
func TestEditUneditableTagsLocked(t *testing.T) {
	nb := taggedNB()
	nb.Tags = append(nb.Tags, model.Tag{Key: "a=b", Value: "c"})
	e := NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: catalog, Images: images, AddTags: (&tagFuncs{}).fn("add"), RemoveTags: (&tagFuncs{}).fn("remove")})
	if got := e.Field(keyTags).Locked; !strings.Contains(got, `"a=b"`) {
		t.Errorf("lock %q", got)
	}
	if rm, add, err := e.tagOps(); rm != nil || add != nil || err != nil {
		t.Errorf("a locked field sends %+v %+v %v", rm, add, err)
	}
}

// Through the real client: the create's tags and an update's tag changes
// are what the simulator then shows.
func TestTagsOnSimulator(t *testing.T) {
	c, _ := formtest.SimClient(t)
	ctx := context.Background()
	fs, ims := simCatalog(t, c)
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: fs, Images: ims, Create: c.CreateNotebook, AddTags: c.AddNotebookTags})
	formtest.Drive(f, `"tagged-sim"`)
	f.set.FocusKey(keyTags)
	formtest.Drive(f, `"team=nlp, project=matui" ctrl+s`)
	v, err := sub(t, &f.Lifecycle).Run(ctx)
	if err != nil {
		t.Fatalf("create with tags: %v", err)
	}
	id := v.(overlay.Change).Instance.ID
	nb, err := c.ShowNotebook(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := formatTags(nb.Tags); got != "team=nlp, project=matui" {
		t.Fatalf("tags after create: %q", got)
	}
	// An update of a stopped, tagged notebook of the demo: a rename
	// (PUT), then the tag calls.
	all, err := c.ListNotebooks(ctx, client.ListNotebooksOptions{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(n model.Notebook) bool { return n.Status == "STOPPED" && len(n.Tags) > 0 })
	if i < 0 {
		t.Fatal("no stopped notebook with tags in the demo data")
	}
	nb = all[i]
	e := NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: fs, Images: ims, Update: c.UpdateNotebook,
		AddTags: c.AddNotebookTags, RemoveTags: c.RemoveNotebookTags})
	formtest.Drive(e, `end "2"`)
	e.set.FocusKey(keyTags)
	formtest.Drive(e, `ctrl+u "team=cv, env=prod" ctrl+s`)
	v, err = sub(t, &e.Lifecycle).Run(ctx)
	if err != nil {
		t.Fatalf("update with tags: %v", err)
	}
	if ch := v.(overlay.Change); ch.Instance.Name != nb.Name+"2" || formatTags(ch.Instance.Tags) != "team=cv, env=prod" {
		t.Errorf("change %+v", ch.Instance)
	}
	got, err := c.ShowNotebook(ctx, nb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tags := formatTags(got.Tags); got.Name != nb.Name+"2" || tags != "team=cv, env=prod" {
		t.Errorf("after update: %q %q", got.Name, tags)
	}
}
