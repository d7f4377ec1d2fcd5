using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OutboundVault.Data.Migrations.Postgres
{
    /// <summary>
    /// One row per grant: a unique index on what makes a grant replace another (TokenStore.ReplaceKey), so racing
    /// writers for a new owner cannot insert two rows. Existing duplicates are merged first: the newest row stays,
    /// the others become "superseded" (their scope key made unique) and are revoked and deleted by the revocation
    /// worker at start. The index is not part of the EF model. A scope key can outgrow a PostgreSQL index entry (about 2.7 kB), so its md5 is indexed.
    /// </summary>
    [DbContext(typeof(PostgresVaultDbContext))]
    [Migration("20261203100000_GrantIdentity")]
    public partial class GrantIdentity : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE outbound_tokens SET "ScopeKey" = '' WHERE "Kind" = 'apikey' AND "ScopeKey" <> '';""");
            migrationBuilder.Sql("""
                UPDATE outbound_tokens SET "Status" = 'superseded', "ScopeKey" = "ScopeKey" || ' #' || "Id"
                WHERE EXISTS (
                    SELECT 1 FROM outbound_tokens newer
                    WHERE newer."AppId" = outbound_tokens."AppId" AND newer."UserId" = outbound_tokens."UserId"
                      AND newer."TenantId" = outbound_tokens."TenantId" AND newer."Kind" = outbound_tokens."Kind"
                      AND newer."ScopeKey" = outbound_tokens."ScopeKey"
                      AND (newer."UpdatedAt" > outbound_tokens."UpdatedAt" OR (newer."UpdatedAt" = outbound_tokens."UpdatedAt" AND newer."Id" > outbound_tokens."Id")));
                """);
            migrationBuilder.Sql("""CREATE UNIQUE INDEX "UX_outbound_tokens_Grant" ON outbound_tokens ("AppId", "UserId", "TenantId", "Kind", md5("ScopeKey"));""");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "UX_outbound_tokens_Grant";""");
        }
    }
}
