using System.Runtime.Versioning;
using DbIntegrity.Core;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Storage;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Storage;

/// <summary>The store contract (IObjectReader/IObjectWriter) on a real folder: order, daemon listing rules, links, failures, writes.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
[UnsupportedOSPlatform("windows")]
public sealed class LocalObjectStoreTests
{
    [Test]
    public async Task The_listing_is_in_full_key_utf8_order_not_directory_walk_order()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Root);
        string[] keys = ["plugin/a/b", "plugin/a-b", "plugin/a.txt", "plugin/a0", "plugin/Z", "plugin/é", "plugin/\U0001F600x", "plugin/\uFFFDy", "plugin/a/b/c:1.0.0@x", "plugin/a/c"];
        foreach (var key in keys.Where(k => k != "plugin/a/b"))
        {
            await store.PutAsync(key, "x"u8.ToArray(), CancellationToken.None);
        }

        var listed = await KeysAsync(store, "plugin/");

        var expected = keys.Where(k => k != "plugin/a/b").Order(Utf8Ordinal.Instance).ToList();
        Assert.That(listed, Is.EqualTo(expected));
        Assert.That(listed.IndexOf("plugin/a-b"), Is.LessThan(listed.IndexOf("plugin/a/b/c:1.0.0@x")), "a-b sorts before a/b");
    }

    [Test]
    public async Task A_huge_folder_spills_its_sort_to_disk_and_keeps_the_order()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Root, sortRunSize: 100);
        var folder = Path.Combine(dir.Root, "plugin_packages", "author");
        Directory.CreateDirectory(folder);
        var names = Enumerable.Range(0, 1_050).Select(i => $"p{(i * 7919) % 1_050:D4}:1.0.0@abc").ToList();
        foreach (var name in names)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name), "x");
        }

        var listed = await KeysAsync(store, "plugin_packages/");

        Assert.That(listed, Is.EqualTo(names.Select(n => "plugin_packages/author/" + n).Order(Utf8Ordinal.Instance).ToList()));
    }

    [Test]
    public async Task Only_the_requested_prefix_is_walked_and_folders_are_not_listed_but_dot_names_are()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Root);
        await store.PutAsync("plugin/langgenius/openai:0.2.7@abc", "x"u8.ToArray(), CancellationToken.None);
        await store.PutAsync("plugin/.DS_Store", "x"u8.ToArray(), CancellationToken.None);
        await store.PutAsync("plugin/langgenius/.DS_Store", "x"u8.ToArray(), CancellationToken.None);
        await store.PutAsync("plugin_packages/langgenius/openai:0.2.7@abc", "x"u8.ToArray(), CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(dir.Root, "plugin", "empty"));

        // An unreadable working folder: walking it would fail, so this also shows cwd/ is never walked.
        var cwd = Path.Combine(dir.Root, "cwd", "venv");
        Directory.CreateDirectory(cwd);
        File.SetUnixFileMode(cwd, UnixFileMode.None);
        try
        {
            var listed = await KeysAsync(store, "plugin/");
            var missing = await KeysAsync(store, "assets/");

            Assert.That(listed, Is.EqualTo(new[] { "plugin/.DS_Store", "plugin/langgenius/.DS_Store", "plugin/langgenius/openai:0.2.7@abc" }));
            Assert.That(missing, Is.Empty, "a prefix whose folder does not exist lists nothing, as the daemon");
        }
        finally
        {
            File.SetUnixFileMode(cwd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Test]
    public async Task Head_reports_size_mtime_and_a_version_tag_and_null_for_a_missing_key()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Root);
        await store.PutAsync("plugin_packages/a/b:1.0.0@abc", "hello"u8.ToArray(), CancellationToken.None);
        var mtime = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(dir.Root, "plugin_packages", "a", "b:1.0.0@abc"), mtime);

        var present = await store.HeadAsync("plugin_packages/a/b:1.0.0@abc", CancellationToken.None);
        var missing = await store.HeadAsync("plugin_packages/a/b:2.0.0@abc", CancellationToken.None);
        var underAFile = await store.HeadAsync("plugin_packages/a/b:1.0.0@abc/x", CancellationToken.None);
        var escaping = await store.HeadAsync("plugin/../../etc/passwd", CancellationToken.None);

        Assert.That(present!.Size, Is.EqualTo(5));
        Assert.That(present.LastModified, Is.EqualTo(new DateTimeOffset(mtime)));
        Assert.That(present.ETag, Is.EqualTo(LocalObjectStore.VersionTag(5, mtime)));
        Assert.That(missing, Is.Null);
        Assert.That(underAFile, Is.Null);
        Assert.That(escaping, Is.Null, "a key with .. names no file under the root");
    }

    [Test]
    public async Task A_write_never_overwrites_other_content_and_leaves_no_temporary_file_under_the_daemon_prefixes()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Root);
        await store.PutAsync("plugin/a/b:1.0.0@x", "first"u8.ToArray(), CancellationToken.None);

        var ex = Assert.ThrowsAsync<UnavailableException>(() => store.PutAsync("plugin/a/b:1.0.0@x", "second"u8.ToArray(), CancellationToken.None));

        await store.PutAsync("plugin/a/b:1.0.0@x", "first"u8.ToArray(), CancellationToken.None);

        Assert.That(ex!.Message, Does.Contain("already exists"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(dir.Root, "plugin", "a", "b:1.0.0@x")), Is.EqualTo("first"));
        Assert.That(Directory.GetFiles(Path.Combine(dir.Root, "plugin"), "*", SearchOption.AllDirectories), Has.Length.EqualTo(1));
        Assert.That(Directory.GetFiles(Path.Combine(dir.Root, LocalObjectStore.StagingFolder)), Is.Empty);
    }

    [Test]
    public async Task Replace_and_conditional_delete_act_only_on_the_version_that_was_read()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Root);
        const string key = "plugin_packages/a/b:1.0.0@x";
        await store.PutAsync(key, "corrupt"u8.ToArray(), CancellationToken.None);
        var seen = (await store.HeadAsync(key, CancellationToken.None))!;
        File.SetLastWriteTimeUtc(Path.Combine(dir.Root, "plugin_packages", "a", "b:1.0.0@x"), DateTime.UtcNow.AddMinutes(1));

        var staleReplace = Assert.ThrowsAsync<UnavailableException>(() => store.ReplaceAsync(key, new MemoryStream("good"u8.ToArray()), seen, CancellationToken.None));
        var staleDelete = await store.DeleteIfUnchangedAsync(key, seen, CancellationToken.None);
        var current = (await store.HeadAsync(key, CancellationToken.None))!;
        await store.ReplaceAsync(key, new MemoryStream("good!!!"u8.ToArray()), current, CancellationToken.None);
        var replaced = (await store.HeadAsync(key, CancellationToken.None))!;
        var deleted = await store.DeleteIfUnchangedAsync(key, replaced, CancellationToken.None);

        Assert.That(staleReplace!.Message, Does.Contain("changed"));
        Assert.That(staleDelete, Is.False);
        Assert.That(deleted, Is.True);
        Assert.That(await store.HeadAsync(key, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_link_out_of_the_root_is_a_clear_error_and_a_link_to_a_file_inside_is_read_through()
    {
        using var dir = new TempDirectory();
        using var outside = new TempDirectory();
        var root = Path.Combine(dir.Root, "storage");
        Directory.CreateDirectory(root);
        var store = new LocalObjectStore(root);
        await store.PutAsync("plugin_packages/a/b:1.0.0@x", "package"u8.ToArray(), CancellationToken.None);
        await File.WriteAllTextAsync(outside.Path("secret"), "not the daemon's");
        Directory.CreateDirectory(Path.Combine(root, "plugin", "a"));
        File.CreateSymbolicLink(Path.Combine(root, "plugin", "a", "b:1.0.0@x"), Path.Combine(root, "plugin_packages", "a", "b:1.0.0@x"));
        File.CreateSymbolicLink(Path.Combine(root, "plugin", "a", "c:1.0.0@x"), outside.Path("secret"));
        Directory.CreateSymbolicLink(Path.Combine(root, "assets"), outside.Root);

        var inside = await store.HeadAsync("plugin/a/b:1.0.0@x", CancellationToken.None);
        var listing = Assert.ThrowsAsync<UnavailableException>(() => KeysAsync(store, "plugin/"));
        var head = Assert.ThrowsAsync<UnavailableException>(() => store.HeadAsync("plugin/a/c:1.0.0@x", CancellationToken.None));
        var linkedFolder = Assert.ThrowsAsync<UnavailableException>(() => KeysAsync(store, "assets/"));
        var write = Assert.ThrowsAsync<UnavailableException>(() => store.PutAsync("assets/icon.svg", "x"u8.ToArray(), CancellationToken.None));

        Assert.That(inside?.Size, Is.EqualTo(7));
        Assert.That(listing!.Message, Does.Contain("plugin/a/c:1.0.0@x").And.Contain("symbolic link"));
        Assert.That(head!.Message, Does.Contain("symbolic link"));
        Assert.That(linkedFolder!.Message, Does.Contain("symbolic link"));
        Assert.That(write!.Message, Does.Contain("symbolic link"));
        Assert.That(Directory.GetFiles(outside.Root), Is.EqualTo(new[] { outside.Path("secret") }), "nothing was written through the link");
    }

    [Test]
    public async Task An_unreadable_folder_or_file_is_unavailable_never_skipped()
    {
        using var dir = new TempDirectory();
        var store = new LocalObjectStore(dir.Root);
        await store.PutAsync("plugin/a/b:1.0.0@x", "x"u8.ToArray(), CancellationToken.None);
        await store.PutAsync("plugin_packages/a/b:1.0.0@x", "x"u8.ToArray(), CancellationToken.None);
        var folder = Path.Combine(dir.Root, "plugin", "a");
        var file = Path.Combine(dir.Root, "plugin_packages", "a", "b:1.0.0@x");
        File.SetUnixFileMode(folder, UnixFileMode.None);
        File.SetUnixFileMode(file, UnixFileMode.None);
        try
        {
            if (Environment.UserName == "root")
            {
                // root reads through permissions; the listing then succeeds, which is what the daemon would see too.
                Assert.That(await KeysAsync(store, "plugin/"), Is.EqualTo(new[] { "plugin/a/b:1.0.0@x" }));
                return;
            }

            var listing = Assert.ThrowsAsync<UnavailableException>(() => KeysAsync(store, "plugin/"));
            var read = Assert.ThrowsAsync<UnavailableException>(() => store.OpenReadAsync("plugin_packages/a/b:1.0.0@x", CancellationToken.None));

            Assert.That(listing!.Message, Does.Contain("permission denied"));
            Assert.That(read!.Message, Does.Contain("permission denied"));
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Test]
    public async Task A_missing_root_or_a_root_that_is_a_file_is_unavailable_for_every_read_never_not_found()
    {
        using var dir = new TempDirectory();
        var missing = new LocalObjectStore(dir.Path("nope"));
        await File.WriteAllTextAsync(dir.Path("file"), "x");
        var file = new LocalObjectStore(dir.Path("file"));

        foreach (var store in new[] { missing, file })
        {
            var list = Assert.ThrowsAsync<UnavailableException>(() => KeysAsync(store, "plugin/"));
            var head = Assert.ThrowsAsync<UnavailableException>(() => store.HeadAsync("plugin/a/b:1.0.0@x", CancellationToken.None));
            var open = Assert.ThrowsAsync<UnavailableException>(() => store.OpenReadAsync("plugin/a/b:1.0.0@x", CancellationToken.None));

            Assert.That(list!.Message, Does.Contain("PLUGIN_STORAGE_LOCAL_ROOT"));
            Assert.That(head!.Service, Is.EqualTo("storage"));
            Assert.That(open!.Service, Is.EqualTo("storage"));
        }

        Assert.That(Directory.Exists(dir.Path("nope")), Is.False, "reads never create the root");
    }

    private static async Task<List<string>> KeysAsync(IObjectReader store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var entry in store.ListAsync(prefix, CancellationToken.None))
        {
            keys.Add(entry.Key);
        }

        return keys;
    }
}
