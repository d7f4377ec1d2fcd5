using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OutboundVault.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "management_keys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ProjectId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    KeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_management_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "outbound_apps",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    ClientId = table.Column<string>(type: "TEXT", nullable: true),
                    ClientSecretCipher = table.Column<string>(type: "TEXT", nullable: true),
                    Logo = table.Column<string>(type: "TEXT", nullable: true),
                    DiscoveryUrl = table.Column<string>(type: "TEXT", nullable: true),
                    AuthorizationUrl = table.Column<string>(type: "TEXT", nullable: true),
                    AuthorizationUrlParams = table.Column<string>(type: "TEXT", nullable: false),
                    TokenUrl = table.Column<string>(type: "TEXT", nullable: true),
                    TokenUrlParams = table.Column<string>(type: "TEXT", nullable: false),
                    RevocationUrl = table.Column<string>(type: "TEXT", nullable: true),
                    DefaultScopes = table.Column<string>(type: "TEXT", nullable: false),
                    DefaultRedirectUrl = table.Column<string>(type: "TEXT", nullable: true),
                    CallbackDomain = table.Column<string>(type: "TEXT", nullable: true),
                    Pkce = table.Column<bool>(type: "INTEGER", nullable: false),
                    AccessType = table.Column<string>(type: "TEXT", nullable: true),
                    Prompt = table.Column<string>(type: "TEXT", nullable: false),
                    UseDcr = table.Column<bool>(type: "INTEGER", nullable: false),
                    DcrUrl = table.Column<string>(type: "TEXT", nullable: true),
                    AppType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", nullable: true),
                    TemplateId = table.Column<string>(type: "TEXT", nullable: true),
                    TokenEndpointAuthMethod = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbound_apps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "outbound_tokens",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AppId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Scopes = table.Column<string>(type: "TEXT", nullable: false),
                    ScopeKey = table.Column<string>(type: "TEXT", nullable: false),
                    AccessTokenCipher = table.Column<string>(type: "TEXT", nullable: true),
                    RefreshTokenCipher = table.Column<string>(type: "TEXT", nullable: true),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TokenType = table.Column<string>(type: "TEXT", nullable: true),
                    AccessTokenExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TokenSub = table.Column<string>(type: "TEXT", nullable: true),
                    GrantedBy = table.Column<string>(type: "TEXT", nullable: true),
                    ExternalIdentifier = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LastRefreshAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastRefreshError = table.Column<string>(type: "TEXT", nullable: true),
                    LastRefreshErrorAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RefreshAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RefreshNotBefore = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbound_tokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_outbound_tokens_outbound_apps_AppId",
                        column: x => x.AppId,
                        principalTable: "outbound_apps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pending_connections",
                columns: table => new
                {
                    StateHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AppId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Scopes = table.Column<string>(type: "TEXT", nullable: false),
                    RedirectUrl = table.Column<string>(type: "TEXT", nullable: true),
                    CallbackUri = table.Column<string>(type: "TEXT", nullable: false),
                    CodeVerifierCipher = table.Column<string>(type: "TEXT", nullable: true),
                    ExternalIdentifier = table.Column<string>(type: "TEXT", nullable: true),
                    GrantedBy = table.Column<string>(type: "TEXT", nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_connections", x => x.StateHash);
                    table.ForeignKey(
                        name: "FK_pending_connections_outbound_apps_AppId",
                        column: x => x.AppId,
                        principalTable: "outbound_apps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_outbound_apps_Name",
                table: "outbound_apps",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_outbound_tokens_AppId_UserId_TenantId_UpdatedAt",
                table: "outbound_tokens",
                columns: new[] { "AppId", "UserId", "TenantId", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_outbound_tokens_KeyId",
                table: "outbound_tokens",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_outbound_tokens_Status_AccessTokenExpiresAt",
                table: "outbound_tokens",
                columns: new[] { "Status", "AccessTokenExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_outbound_tokens_UserId_TenantId",
                table: "outbound_tokens",
                columns: new[] { "UserId", "TenantId" });

            migrationBuilder.CreateIndex(
                name: "IX_pending_connections_AppId",
                table: "pending_connections",
                column: "AppId");

            migrationBuilder.CreateIndex(
                name: "IX_pending_connections_ExpiresAt",
                table: "pending_connections",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "management_keys");

            migrationBuilder.DropTable(
                name: "outbound_tokens");

            migrationBuilder.DropTable(
                name: "pending_connections");

            migrationBuilder.DropTable(
                name: "outbound_apps");
        }
    }
}
