// Creates the blob container on the local Azurite (idempotent). Usage: node azure-container.js <connection string> <container>
'use strict';
const { BlobServiceClient } = require('@azure/storage-blob');

const [connectionString, container] = process.argv.slice(2);
BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container).createIfNotExists()
  .then(() => process.exit(0), (error) => { console.error(error.message); process.exit(1); });
