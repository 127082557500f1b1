/* SPDX-License-Identifier: MIT */
#include "slab_internal.h"

unsigned int slab_debug_flags_for(const char *name, slab_flags_t flags)
{
	return 0;
}
void slab_debug_on_alloc(struct kmem_cache *s, struct slab *slab, void *obj,
		void *caller)
{
}
void slab_debug_init_object(struct kmem_cache *s, void *obj)
{
}
bool slab_debug_check_free(struct kmem_cache *s, void *obj, void *caller,
		struct slab **slabp, unsigned int *idxp)
{
	*slabp = obj_to_slab(s, obj);
	*idxp = ((char *)obj - slab_objects(s, *slabp)) / s->size;
	return true;
}
void slab_debug_setup_env(void)
{
}
