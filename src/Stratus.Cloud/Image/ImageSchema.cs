using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Image;

/// <summary>Images (a JSON document per image, indexed by the columns listings filter on) and their members.</summary>
internal sealed class ImageSchema : ISchema
{
    public string Area => "images";

    public IReadOnlyList<string> Migrations =>
    [
        """
        CREATE TABLE images (
            id TEXT PRIMARY KEY,
            owner TEXT,
            name TEXT,
            status TEXT NOT NULL,
            visibility TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            version BIGINT NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX images_by_owner ON images (owner);
        CREATE INDEX images_by_visibility ON images (visibility);
        CREATE TABLE image_members (
            image_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (image_id, member_id));
        CREATE INDEX image_members_by_member ON image_members (member_id);
        """,
    ];
}
