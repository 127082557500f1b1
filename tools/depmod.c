/* SPDX-License-Identifier: MIT */
/*
 * sockcore-depmod: write modules.alias for a folder of loadable modules,
 * as depmod does for the kernel's. Each module carries "name=..." and
 * "alias=..." strings in its sockcore_modinfo ELF section
 * (SOCKCORE_MODULE, SOCKCORE_MODULE_ALIAS); we read the section without
 * loading the module, so no module code runs at build time.
 *
 * usage: sockcore-depmod <module folder>
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sockcore/module.h>

struct alias_line {
	char *text;
};

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(((const struct alias_line *)a)->text,
		      ((const struct alias_line *)b)->text);
}

/* The modinfo section of a mapped ELF64 file, or NULL. */
static const char *find_modinfo(const unsigned char *img, size_t size,
		size_t *len)
{
	const Elf64_Ehdr *eh = (const void *)img;
	const Elf64_Shdr *sh, *strtab;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shoff == 0 ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(*sh) > size ||
	    eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	sh = (const void *)(img + eh->e_shoff);
	strtab = &sh[eh->e_shstrndx];
	for (int i = 0; i < eh->e_shnum; i++) {
		const char *name = (const char *)img + strtab->sh_offset + sh[i].sh_name;

		if (strtab->sh_offset + sh[i].sh_name >= size ||
		    strcmp(name, SOCKCORE_MODULE_SECTION) != 0)
			continue;
		if (sh[i].sh_offset + sh[i].sh_size > size)
			return NULL;
		*len = sh[i].sh_size;
		return (const char *)img + sh[i].sh_offset;
	}
	return NULL;
}

/* Append "alias <alias> <name>" lines of one module to @lines. */
static int read_module(const char *path, struct alias_line **lines, size_t *n)
{
	const char *info, *name = NULL;
	struct stat st;
	size_t len = 0;
	void *img;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED)
		return -errno;
	info = find_modinfo(img, (size_t)st.st_size, &len);
	for (size_t off = 0; info && off < len; off += strlen(info + off) + 1)
		if (strncmp(info + off, "name=", 5) == 0)
			name = info + off + 5;
	for (size_t off = 0; info && name && off < len && !ret;
	     off += strlen(info + off) + 1) {
		if (strncmp(info + off, "alias=", 6) != 0)
			continue;
		*lines = realloc(*lines, (*n + 1) * sizeof(**lines));
		if (!*lines || asprintf(&(*lines)[*n].text, "alias %s %s",
					info + off + 6, name) < 0)
			ret = -ENOMEM;
		else
			(*n)++;
	}
	if (info && !name) {
		fprintf(stderr, "sockcore-depmod: %s has no module name\n", path);
		ret = -EINVAL;
	}
	munmap(img, (size_t)st.st_size);
	return ret;
}

static int is_module_file(const char *name)
{
	size_t len = strlen(name);

	return len > 3 && strcmp(name + len - 3, ".so") == 0;
}

int main(int argc, char **argv)
{
	struct alias_line *lines = NULL;
	char path[4096];
	struct dirent *de;
	size_t n = 0;
	FILE *out;
	DIR *dir;
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: sockcore-depmod <module folder>\n");
		return 2;
	}
	dir = opendir(argv[1]);
	if (!dir) {
		fprintf(stderr, "sockcore-depmod: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	while (!err && (de = readdir(dir))) {
		if (!is_module_file(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
		err = read_module(path, &lines, &n);
		if (err)
			fprintf(stderr, "sockcore-depmod: %s: %s\n", path, strerror(-err));
	}
	closedir(dir);
	if (err)
		return 1;
	qsort(lines, n, sizeof(*lines), cmp_lines);
	snprintf(path, sizeof(path), "%s/modules.alias", argv[1]);
	out = fopen(path, "w");
	if (!out) {
		fprintf(stderr, "sockcore-depmod: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fputs("# Aliases extracted from modules themselves.\n", out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s\n", lines[i].text);
		free(lines[i].text);
	}
	free(lines);
	return fclose(out) ? 1 : 0;
}
