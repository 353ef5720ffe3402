package termsafe

import "reflect"

// Copy returns a deep copy of v in which every string reachable through
// exported struct fields, slices, arrays, maps (keys and values), pointers
// and interfaces has gone through String. It walks the type by reflection,
// so a field added to a struct later is covered without anyone remembering
// to add it. v itself is not modified; parts without strings are shared
// with it, and unexported fields are copied as they are (they are not
// output by encoding/json either).
func Copy[T any](v T) T {
	w := walker{memo: map[reflect.Type]bool{}}
	return w.copy(reflect.ValueOf(&v).Elem(), 0).Interface().(T)
}

// walker is one Copy: it remembers which types hold strings.
type walker struct{ memo map[reflect.Type]bool }

func (w walker) hasStrings(t reflect.Type) bool {
	has, ok := w.memo[t]
	if !ok {
		has = hasStrings(t, map[reflect.Type]bool{})
		w.memo[t] = has
	}
	return has
}

// maxCopyDepth bounds the walk: matui's types nest a handful of levels, so
// anything deeper is a cycle or a hostile document decoded into an any, and
// is dropped (zeroed) rather than followed or passed on unclean.
const maxCopyDepth = 64

func (w walker) copy(v reflect.Value, depth int) reflect.Value {
	t := v.Type()
	if !w.hasStrings(t) {
		return v
	}
	if depth > maxCopyDepth {
		return reflect.Zero(t)
	}
	switch v.Kind() {
	case reflect.String:
		nv := reflect.New(t).Elem()
		nv.SetString(String(v.String()))
		return nv
	case reflect.Struct:
		nv := reflect.New(t).Elem()
		nv.Set(v)
		for i := range t.NumField() {
			if f := nv.Field(i); f.CanSet() {
				f.Set(w.copy(v.Field(i), depth+1))
			}
		}
		return nv
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		nv := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			nv.Index(i).Set(w.copy(v.Index(i), depth+1))
		}
		return nv
	case reflect.Array:
		nv := reflect.New(t).Elem()
		for i := range v.Len() {
			nv.Index(i).Set(w.copy(v.Index(i), depth+1))
		}
		return nv
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		nv := reflect.New(t.Elem())
		nv.Elem().Set(w.copy(v.Elem(), depth+1))
		return nv
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		nv := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			nv.SetMapIndex(w.copy(it.Key(), depth+1), w.copy(it.Value(), depth+1))
		}
		return nv
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		nv := reflect.New(t).Elem()
		nv.Set(w.copy(v.Elem(), depth+1))
		return nv
	}
	return v
}

// hasStrings reports whether a value of type t can hold a string the walk
// reaches. Interfaces may hold anything. seen breaks recursive types.
func hasStrings(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	switch t.Kind() {
	case reflect.String, reflect.Interface:
		return true
	case reflect.Slice, reflect.Array, reflect.Pointer:
		seen[t] = true
		return hasStrings(t.Elem(), seen)
	case reflect.Map:
		seen[t] = true
		return hasStrings(t.Key(), seen) || hasStrings(t.Elem(), seen)
	case reflect.Struct:
		seen[t] = true
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && hasStrings(f.Type, seen) {
				return true
			}
		}
	}
	return false
}
