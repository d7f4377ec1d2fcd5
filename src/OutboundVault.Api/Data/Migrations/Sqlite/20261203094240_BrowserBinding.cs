using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OutboundVault.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BrowserBinding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BrowserBinding",
                table: "pending_connections",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BrowserBinding",
                table: "pending_connections");
        }
    }
}
