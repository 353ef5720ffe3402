package client

import "matui/model"

// notebookInstance normalises a Gen 2 notebook, looking its spec up in the
// cached flavor catalog (nil when the catalog could not be fetched).
func notebookInstance(nb model.Notebook, flavors map[string]model.NotebookFlavor) model.Instance {
	return model.FromNotebook(nb, func(id string) (model.NotebookFlavor, bool) {
		f, ok := flavors[id]
		return f, ok
	})
}

// devInstance normalises a Gen 1 instance; its flavor details are embedded.
func devInstance(d model.DevInstance) model.Instance {
	return model.FromDevInstance(d)
}
