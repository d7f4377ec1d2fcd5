using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OutboundVault.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ManagementKeyRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AppIds",
                table: "management_keys",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<DateTime>(
                name: "LastUsedAt",
                table: "management_keys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RevokedAt",
                table: "management_keys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Role",
                table: "management_keys",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "admin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AppIds",
                table: "management_keys");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "management_keys");

            migrationBuilder.DropColumn(
                name: "RevokedAt",
                table: "management_keys");

            migrationBuilder.DropColumn(
                name: "Role",
                table: "management_keys");
        }
    }
}
