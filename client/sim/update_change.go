package sim

import (
	"reflect"
	"slices"
	"strings"

	"matui/model"
)

// What counts as a change in a Gen 2 update (see updateNotebook): a member
// that is absent, or present with the notebook's current value, is not one.

// changes says which members of an update differ from the notebook.
type changes struct {
	name, desc, flavor, image, endpoints, size, hooks, customSpec, affinity bool
}

func (c changes) any() bool {
	return c.name || c.desc || c.flavor || c.image || c.endpoints || c.size || c.hooks || c.customSpec || c.affinity
}

func changesOf(nb *notebook, req *model.UpdateNotebookRequest) changes {
	return changes{
		name:       req.Name != nil && *req.Name != nb.name,
		desc:       req.Description != nil && *req.Description != nb.desc,
		flavor:     req.Flavor != nil && *req.Flavor != nb.flavor,
		image:      req.ImageID != nil && *req.ImageID != nb.imageID,
		endpoints:  req.Endpoints != nil && !sameEndpoints(req.Endpoints, nb.endpoints),
		size:       req.StorageNewSize != nil && *req.StorageNewSize != nb.volume.capacity,
		hooks:      req.Hooks != nil && !reflect.DeepEqual(req.Hooks, nb.hooks),
		customSpec: req.CustomSpec != nil && !sameCustomSpec(*req.CustomSpec, nb.customSpec),
		affinity:   !sameAffinity(req.Affinity.Apply(nb.affinity), nb.affinity),
	}
}

// sameEndpoints compares remote-access settings as the service keeps them:
// the SSH endpoints (service SSH, or no service with key pairs, as
// renderNB reads them), each a set of key pairs and a set of allowed IPs.
// A NOTEBOOK entry describes the JupyterLab access every instance has and
// changes nothing, so a client that sends back what it read is not
// changing anything either.
func sameEndpoints(a, b []model.EndpointsReq) bool {
	return slices.Equal(sshEndpoints(a), sshEndpoints(b))
}

func sshEndpoints(eps []model.EndpointsReq) []string {
	var out []string
	for _, ep := range eps {
		svc := strings.ToUpper(ep.Service)
		if svc != "SSH" && !(svc == "" && len(ep.KeyPairNames) > 0) {
			continue
		}
		keys, ips := slices.Clone(ep.KeyPairNames), slices.Clone(ep.AllowedAccessIPs)
		slices.Sort(keys)
		slices.Sort(ips)
		out = append(out, strings.Join(slices.Compact(keys), ",")+"|"+strings.Join(slices.Compact(ips), ","))
	}
	slices.Sort(out)
	return out
}

// sameCustomSpec compares a requested custom size with the current one
// (nil when the notebook runs on a flavor); arch and category are enums
// compared case-insensitively, a missing gpu equals 0.
func sameCustomSpec(a model.CustomSpec, b *model.CustomSpec) bool {
	if b == nil {
		return false
	}
	gpu := func(cs model.CustomSpec) float64 {
		if cs.GPU == nil {
			return 0
		}
		return *cs.GPU
	}
	return a.CPU == b.CPU && a.Memory == b.Memory && gpu(a) == gpu(*b) && a.GPUType == b.GPUType &&
		strings.EqualFold(a.Arch, b.Arch) && strings.EqualFold(a.Category, b.Category) && a.ResourceFlavor == b.ResourceFlavor
}

// sameAffinity compares rule lists in order (order is the user's), an
// empty list equal to a missing one.
func sameAffinity(a, b model.Affinity) bool {
	return slices.EqualFunc(a.Required, b.Required, sameRule) && slices.EqualFunc(a.Preferred, b.Preferred, sameRule)
}

func sameRule(a, b model.AffinityRule) bool {
	w := func(r model.AffinityRule) int {
		if r.Weight == nil {
			return -1
		}
		return *r.Weight
	}
	return a.Key == b.Key && a.Operator == b.Operator && slices.Equal(a.Values, b.Values) && w(a) == w(b)
}
