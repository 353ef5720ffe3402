package hub

import (
	"context"
	"errors"
	"testing"

	"matui/client"
	"matui/model"
)

// formsUp is an upstream with the form operations.
type formsUp struct {
	*fakeUp
	created []string
}

func (f *formsUp) ListFlavors(context.Context, client.FlavorOptions) ([]model.NotebookFlavor, error) {
	return []model.NotebookFlavor{{ID: "modelarts.vm.cpu.2u"}}, nil
}
func (f *formsUp) ListSwitchableFlavors(context.Context, string) ([]model.NotebookFlavor, error) {
	return nil, nil
}
func (f *formsUp) ListImages(context.Context, client.ImageOptions) ([]model.Image, error) {
	return []model.Image{{ID: "img"}}, nil
}
func (f *formsUp) CreateNotebook(_ context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.created = append(f.created, req.Name)
	return model.Notebook{ID: "nb-new", Name: req.Name, Status: "CREATING"}, nil
}
func (f *formsUp) UpdateNotebook(_ context.Context, id string, _ model.UpdateNotebookRequest) (model.Notebook, error) {
	return model.Notebook{ID: id}, nil
}
func (f *formsUp) CreateDevInstance(context.Context, model.CreateDevInstanceRequest) (model.DevInstance, error) {
	return model.DevInstance{}, nil
}
func (f *formsUp) ModifyDevInstance(_ context.Context, id string, _ model.ModifyDevInstanceRequest) (model.DevInstance, error) {
	return model.DevInstance{ID: id}, nil
}
func (f *formsUp) OpenCodeLab(context.Context, model.OpenCodeLabRequest) (model.Notebook, error) {
	return model.Notebook{}, nil
}

func TestSessionForwardsForms(t *testing.T) {
	up := &formsUp{fakeUp: newFake()}
	h := New(up, Options{})
	defer h.Close()
	a := &memAudit{}
	op := h.Session(operator(), a)
	defer op.Close()
	v := h.Session(Actor{User: "eve", Fingerprint: "SHA256:x", Role: RoleViewer}, a)
	defer v.Close()

	// Catalog reads are for everyone.
	if fs, err := v.ListFlavors(context.Background(), client.FlavorOptions{}); err != nil || len(fs) != 1 {
		t.Fatalf("viewer flavors: %v %v", fs, err)
	}
	// Creation is an audited operator mutation.
	req := model.CreateNotebookRequest{Name: "nb"}
	if _, err := v.CreateNotebook(context.Background(), req); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("viewer create: %v", err)
	}
	nb, err := op.CreateNotebook(context.Background(), req)
	if err != nil || nb.Status != "CREATING" {
		t.Fatalf("operator create: %+v %v", nb, err)
	}
	if len(up.created) != 1 {
		t.Fatalf("upstream created %v", up.created)
	}
	if len(a.recs) != 2 || a.recs[0].Result != ResultDenied || a.recs[1].Result != ResultOK ||
		a.recs[1].Action != "create" || a.recs[1].InstanceName != "nb" {
		t.Fatalf("audit %+v", a.recs)
	}

	// An upstream without the form operations says so.
	h2 := New(newFake(), Options{})
	defer h2.Close()
	s2 := h2.Session(operator(), nil)
	defer s2.Close()
	if _, err := s2.ListImages(context.Background(), client.ImageOptions{}); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("no forms upstream: %v", err)
	}
}
